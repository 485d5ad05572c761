import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { usersJsonSchema } from "../model";
import { CommandIO, parseCommandArgs, runAsProcess } from "./io";
import { REFERENCE_PAGE, renderReferencePage } from "./schemaReference";

export const SCHEMA_FILE = "users.schema.json";
const USAGE = `usage: npm run schema -- [--check]   (writes ${SCHEMA_FILE} and the field reference in ${REFERENCE_PAGE} from model/schema.ts; --check only compares)`;

/** The committed users.schema.json, byte for byte: generated from the validator's own schema. */
export const renderJsonSchema = () => `${JSON.stringify(usersJsonSchema(), null, 2)}\n`;

const readOrUndefined = (file: string) => {
    try {
        return readFileSync(file, "utf8");
    } catch {
        return undefined; // missing counts as stale
    }
};

/** Every file the schema generates: its path, what it holds now, and what it should hold. */
export function generatedFiles(): { file: string; current: string | undefined; wanted: string }[] {
    const schema = readOrUndefined(SCHEMA_FILE);
    const page = readOrUndefined(REFERENCE_PAGE);
    return [
        { file: SCHEMA_FILE, current: schema, wanted: renderJsonSchema() },
        { file: REFERENCE_PAGE, current: page, wanted: renderReferencePage(page) },
    ];
}

export function schemaCommand(argv: string[], io: CommandIO): number {
    const { values } = parseCommandArgs(argv, { options: { check: { type: "boolean" } } });
    const files = generatedFiles();
    if (values.check) {
        const stale = files.filter((f) => f.current !== f.wanted);
        for (const f of stale) io.err(`${f.file} is out of date with model/schema.ts: run npm run schema and commit the result`);
        return stale.length ? 1 : 0;
    }
    for (const f of files) {
        if (f.current === f.wanted) continue;
        mkdirSync(dirname(f.file), { recursive: true });
        writeFileSync(f.file, f.wanted);
        io.err(`wrote ${f.file}`);
    }
    return 0;
}

if (require.main === module) runAsProcess(schemaCommand, USAGE);
