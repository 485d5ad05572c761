import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SourceFile } from "../diagnostics";
import { resolveConfig, ResolvedConfig } from "./resolve";

/** The text of a file of the project, or undefined when it does not exist: the working tree's, or a git revision's. */
export type ProjectReader = (path: string) => string | undefined;

/** Files as they are in a directory (the project's, by default the current one). */
export function workingTree(dir = "."): ProjectReader {
    return (path) => {
        try {
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
    const text = (t: string) => t.replace(/^\uFEFF/, "");
    return resolveConfig(new SourceFile(label("Pulumi.yaml"), text(projectText)), stack, stackText === undefined ? undefined : new SourceFile(label(stackPath), text(stackText)));
}
