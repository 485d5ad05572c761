import { readFileSync, writeFileSync } from "node:fs";
import { usersJsonSchema } from "../model";
import { CommandIO, parseCommandArgs, runAsProcess } from "./io";

export const SCHEMA_FILE = "users.schema.json";
const USAGE = "usage: npm run schema -- [--check]   (writes users.schema.json from model/schema.ts; --check only compares)";

/** The committed users.schema.json, byte for byte: generated from the validator's own schema. */
export const renderJsonSchema = () => `${JSON.stringify(usersJsonSchema(), null, 2)}\n`;

export function schemaCommand(argv: string[], io: CommandIO): number {
    const { values } = parseCommandArgs(argv, { options: { check: { type: "boolean" } } });
    const wanted = renderJsonSchema();
    if (values.check) {
        let current = "";
        try {
            current = readFileSync(SCHEMA_FILE, "utf8");
        } catch {
            /* missing counts as stale */
        }
        if (current === wanted) return 0;
        io.err(`${SCHEMA_FILE} is out of date with model/schema.ts: run npm run schema and commit the result`);
        return 1;
    }
    writeFileSync(SCHEMA_FILE, wanted);
    io.err(`wrote ${SCHEMA_FILE}`);
    return 0;
}

if (require.main === module) runAsProcess(schemaCommand, USAGE);
