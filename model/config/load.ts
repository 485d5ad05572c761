import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SourceFile } from "../diagnostics";
import { ConfigProblem, resolveConfig, ResolvedConfig } from "./resolve";

/** The text of a file of the project, or undefined when it does not exist: the working tree's, or a git revision's. */
export type ProjectReader = (path: string) => string | undefined;

/** Files as they are in a directory (the project's, by default the current one). */
export function workingTree(dir = "."): ProjectReader {
    return (path) => {
        try {
            // The review reads a link's own text (git), Pulumi the file it points to: they must be one file.
            if (lstatSync(join(dir, path)).isSymbolicLink()) throw new Error(`${path} is a symbolic link: the review reads the link, Pulumi the file it points to; commit the file itself`);
            return readFileSync(join(dir, path), "utf8");
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
            throw e;
        }
    };
}

/**
 * Pulumi.yaml and Pulumi.<stack>.yaml through `read`, resolved as `pulumi up` would; undefined when there is no
 * Pulumi.yaml. `label` names the files in messages (e.g. `origin/main:Pulumi.yaml`).
 */
export function loadConfig(read: ProjectReader, stack: string, label: (path: string) => string = (path) => path): ResolvedConfig | undefined {
    const projectText = read("Pulumi.yaml");
    if (projectText === undefined) return undefined;
    const stackPath = `Pulumi.${stack}.yaml`;
    const stackText = read(stackPath);
    const config = resolveConfig(new SourceFile(label("Pulumi.yaml"), withoutBom(projectText)), stack, stackText === undefined ? undefined : new SourceFile(label(stackPath), withoutBom(stackText)));
    return { ...config, problems: [...strayProjectFiles(read, stack, label), ...config.problems] };
}

const withoutBom = (t: string) => t.replace(/^\uFEFF/, "");

/**
 * Project and stack files of another extension. Pulumi looks for its project file as Pulumi.json first, then
 * Pulumi.yaml, then Pulumi.yml, and reads the stack file with the project file's extension (pulumi/pulumi
 * sdk/go/common/workspace/paths.go, findProjectInDir and ProjectStackPath; sdk/go/common/encoding/marshal.go,
 * Exts). So a Pulumi.json would replace everything validate, the plan and the program check in Pulumi.yaml, and
 * the other files would at best be read by nobody while looking like configuration: each is refused.
 */
export function strayProjectFiles(read: ProjectReader, stack: string, label: (path: string) => string = (path) => path): ConfigProblem[] {
    const problem = (path: string, text: string, why: string): ConfigProblem => ({
        source: new SourceFile(label(path), text),
        diagnostic: { severity: "error", code: "config-file-variant", range: [0, 0], message: `${path}: ${why}; this project's configuration is Pulumi.yaml and Pulumi.<stack>.yaml only: delete ${path}` },
    });
    const problems: ConfigProblem[] = [];
    for (const path of ["Pulumi.json", "Pulumi.yml"]) {
        const text = read(path);
        if (text === undefined) continue;
        problems.push(problem(path, text, path === "Pulumi.json" ? "Pulumi reads Pulumi.json before Pulumi.yaml, so it would replace the project file everything here checks" : "Pulumi reads it when there is no Pulumi.yaml, and nothing here checks it"));
    }
    for (const path of [`Pulumi.${stack}.json`, `Pulumi.${stack}.yml`]) {
        const text = read(path);
        if (text !== undefined) problems.push(problem(path, text, "Pulumi reads the stack file with the project file's extension, so it is either unread or read instead of the checked Pulumi.<stack>.yaml"));
    }
    return problems;
}
