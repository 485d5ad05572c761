"use strict";
/**
 * `node -r ./cli/tsCache.js cli/X.ts`: runs the project's TypeScript as JavaScript compiled once and kept in
 * node_modules/.cache, so a command does not load the TypeScript compiler each time it starts (issue 12: ts-node
 * spent about 1 s of `npm run validate`'s 1.5 s doing that).
 *
 * Each .ts file that is required is read; its cached JavaScript is used only when it was compiled from exactly
 * that text, with this file, tsconfig.json and the TypeScript version as they are now (a stale entry is never
 * run, whatever the clock says). Otherwise the file is compiled with TypeScript's own
 * transpileModule and tsconfig.json's options (so `useDefineForClassFields: false`, which Pulumi's resource
 * outputs and closure serializer need, holds as under ts-node), and the entry is replaced. Nothing needs to be
 * built beforehand: an empty cache (a fresh `npm ci`, with or without install scripts) only costs the
 * compiler's load once. Like `ts-node -T`, nothing is type-checked here; `npm run typecheck` does that.
 *
 * Entries carry inline source maps, but Node reads them only when asked: `NODE_OPTIONS=--enable-source-maps
 * npm run plan` gives stack traces in TypeScript lines. Asking by default cost a small file's validate about
 * 15% (Node parses every module's map as it loads it).
 *
 * Plain JavaScript on purpose: it is what loads the TypeScript.
 */
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
// A .js, .json or .node file beside a .ts file of the same name is refused, not run in its place.
require("./strayScripts.js");

const ROOT = path.resolve(__dirname, "..");
// TS_CACHE_DIR: elsewhere (the tests and the bench use an empty one to see a first run).
const CACHE = process.env.TS_CACHE_DIR || path.join(ROOT, "node_modules", ".cache", "ts-cache");

/**
 * Everything besides a file's own text that its JavaScript depends on, kept whole in every entry and compared
 * whole: no hash to trust (and no node:crypto to load, which alone costs a small file's validate a few percent).
 */
let settings;
function getSettings() {
    if (settings === undefined) {
        const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
        const typescriptPackage = require.resolve("typescript/package.json", { paths: [ROOT] });
        settings = [`typescript ${JSON.parse(read(typescriptPackage)).version}`, read(path.join(ROOT, "tsconfig.json")), read(__filename)].join("\n");
    }
    return settings;
}

let compiler;
function getCompiler() {
    if (!compiler) {
        const ts = require(require.resolve("typescript", { paths: [ROOT] }));
        const configFile = path.join(ROOT, "tsconfig.json");
        const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
        if (error) {
            const at = error.file && error.start !== undefined ? error.file.getLineAndCharacterOfPosition(error.start) : undefined;
            const where = `${configFile}${at ? `:${at.line + 1}:${at.character + 1}` : ""}`;
            throw new Error(`${where}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n").replace(/\.$/, "")}; correct tsconfig.json (npm run typecheck reads it the same way)`);
        }
        const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile);
        compiler = { ts, options: { ...options, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: true, inlineSources: false } };
    }
    return compiler;
}

/** What `ts-node -T` would run: JavaScript, or an error naming FILE:LINE:COL for a syntax error. */
function compile(source, filename) {
    const { ts, options } = getCompiler();
    const { outputText, diagnostics = [] } = ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: true });
    const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
        throw new SyntaxError(
            errors
                .map((d) => {
                    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
                    return `${filename}${at ? `:${at.line + 1}:${at.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
                })
                .join("\n"),
        );
    }
    return outputText;
}

/**
 * One entry per source file, replaced when the file changes. An entry holds the settings and the exact text it
 * was compiled from, then the JavaScript; it is run only when both are equal to today's.
 */
function cached(source, filename) {
    const key = `${getSettings()}\n${filename}\n${source}`;
    const header = `//ts-cache ${key.length}\n`;
    const entry = path.join(CACHE, `${path.relative(ROOT, filename).replace(/[\\/:]/g, "!").slice(-200)}.js`);
    try {
        const text = fs.readFileSync(entry, "utf8");
        if (text.startsWith(header) && text.slice(header.length, header.length + key.length) === key) return text.slice(header.length + key.length);
    } catch {
        // not compiled yet
    }
    const js = compile(source, filename);
    keep(entry, header + key + js);
    return js;
}

/** Writes a cache entry atomically: a concurrent reader sees the old entry or the new one, never half. */
function keep(entry, text) {
    try {
        fs.mkdirSync(path.dirname(entry), { recursive: true });
        const temp = `${entry}.${process.pid}.tmp`;
        fs.writeFileSync(temp, text);
        fs.renameSync(temp, entry);
    } catch {
        // a read-only checkout still runs, without its cache
    }
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
    module._compile(cached(fs.readFileSync(filename, "utf8"), filename), filename);
};
// Node 22.1 and later also keep V8's compiled code for every module (ours and node_modules'), checked against
// each module's source by Node itself: about a tenth of a small file's validate on Node 24. Node 20 has no such cache.
Module.enableCompileCache?.(path.join(CACHE, "v8"));

// For cli/bundleCache.js, which keeps its bundles beside these entries.
module.exports = { ROOT, CACHE, keep };
