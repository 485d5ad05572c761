"use strict";
/**
 * `node -r ./cli/bundleCache.js cli/validate.ts`: runs the entry point as ONE file of JavaScript, bundled by
 * esbuild once and kept in node_modules/.cache, for the command whose start-up people wait on (issue 12:
 * `npm run validate` runs in pre-commit hooks, editors and every CI job).
 *
 * One file instead of a graph of some 200 modules saves Node resolving and reading each, and the bundle keeps
 * only the parts of zod it uses (zod's CommonJS build loads all 64 of its locales): together about a third of
 * a small file's validate. esbuild takes zod's ES module build and can leave the rest out because the code
 * imports it as `import * as z from "zod"`.
 *
 * The bundle is run only when it was built from exactly today's text of every one of the project's own files
 * it holds and the same names in their folders, with this file, tsconfig.json, the project's package.json,
 * esbuild's version, and each package it holds (its package.json, and its own node_modules) as they are now;
 * `npm ci` rewrites node_modules/.package-lock.json, which is in the key too (a file under node_modules edited by
 * hand without a new version is not noticed). Otherwise it is built again; nothing needs building beforehand,
 * and `npm ci --ignore-scripts` is enough (esbuild finds its binary in its platform package). When esbuild is
 * missing or cannot bundle (a syntax error), the entry point runs file by file through cli/tsCache.js, which
 * reports the error at FILE:LINE:COL. Like tsCache, nothing is type-checked here.
 *
 * The bundle is compiled as the entry point itself, under its file name: `require.main === module` holds, and
 * a require left in place resolves from the entry's folder. Imports without an extension are resolved in
 * Node's order (.js before .ts), and a .js, .json or .node file that would so take the place of a .ts file of its
 * name is refused (cli/strayScripts.js). In one bundle every module would see the entry's `__dirname`, `__filename`
 * and `require.main`, so an entry whose modules ask for them runs file by file. The source map is a file beside
 * the bundle: `NODE_OPTIONS=--enable-source-maps` gives stack traces in TypeScript lines.
 *
 * Only the entry point of a command whose script starts with this file is bundled: a Pulumi program (npm run
 * plan) loads providers by path at run time and serializes functions, so it keeps tsCache.
 */
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const tsCache = require("./tsCache.js");
const { refuseIfStray } = require("./strayScripts.js");

const ROOT = tsCache.ROOT;
const CACHE = path.join(tsCache.CACHE, "bundles");

const read = (file) => {
    try {
        return fs.readFileSync(path.resolve(ROOT, file), "utf8");
    } catch {
        return undefined; // a file that is gone: never equal to the text the bundle was built from
    }
};

/** The package folder of a file under node_modules (node_modules/@scope/name or node_modules/name). */
const packageOf = (file) => file.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1];

/** esbuild's list of what it bundled, as the project's own files and the packages the rest came from. */
const sourcesOf = (inputs) => ({
    files: inputs.filter((file) => !packageOf(file)).sort(),
    packages: [...new Set(inputs.map(packageOf).filter(Boolean))].sort(),
});

/**
 * The names in a folder that an import could find (scripts, JSON, folders; not an editor's swap files), or
 * undefined when there is no folder: a file added beside an import can change what it finds.
 */
const listing = (dir) => {
    try {
        return fs
            .readdirSync(path.resolve(ROOT, dir))
            .filter((name) => /\.(ts|js|json)$|^[^.]+$/.test(name))
            .sort()
            .join("/");
    } catch {
        return undefined;
    }
};

/** Everything besides the files that a bundle depends on (esbuild reads the project's package.json `sideEffects`). */
function settingsFor(entry) {
    const esbuildVersion = JSON.parse(read(require.resolve("esbuild/package.json", { paths: [ROOT] }))).version;
    // npm's record of node_modules: any install rewrites it.
    return [entry, `esbuild ${esbuildVersion}`, read("tsconfig.json"), read("package.json"), read("node_modules/.package-lock.json"), read(__filename)];
}

/**
 * What a bundle was built from, kept whole (nothing is left to a hash or a clock): the settings; each own file's
 * text (`texts`: what esbuild read, when known) and the names in its folder, so that a new file an import would
 * now find (model/rules.ts beside model/rules/) is noticed; each package's package.json and the names in its own
 * node_modules (a nested install).
 */
function describe(entry, { files, packages }, texts) {
    return {
        settings: settingsFor(entry),
        files: files.map((file) => [file, texts.has(file) ? texts.get(file) : read(file)]),
        folders: [...new Set(files.map((file) => path.dirname(file)))].sort().map((dir) => [dir, listing(dir)]),
        packages: packages.map((dir) => [dir, read(path.join(dir, "package.json")), listing(path.join(dir, "node_modules"))]),
    };
}

/** Whether everything a bundle was built from is as it was (JSON keeps a missing file as null). */
function isCurrent(built, entry) {
    const same = (now, then) => (now ?? null) === then;
    const settings = settingsFor(entry);
    return (
        built.settings.length === settings.length &&
        settings.every((value, i) => same(value, built.settings[i])) &&
        built.files.every(([file, text]) => same(read(file), text)) &&
        built.folders.every(([dir, names]) => same(listing(dir), names)) &&
        built.packages.every(([dir, manifest, names]) => same(read(path.join(dir, "package.json")), manifest) && same(listing(path.join(dir, "node_modules")), names))
    );
}

/**
 * JSON with every character outside ASCII escaped: the cache file stays ASCII, which Node reads and V8 compiles
 * as one-byte text (a single accented letter in it made reading and compiling the whole bundle about twice as slow).
 */
const asciiJson = (value) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * In one bundle every module's `__dirname`, `__filename` and `require.main` are the entry point's. A module that
 * asks for them (other than the entry point itself) is not bundled: the command runs file by file instead.
 */
const ASKS_WHERE_IT_IS = /\b(__dirname|__filename|require\.main|import\.meta)\b/;

/**
 * The bundle, its source map, and its key. The key holds the text each file had when esbuild read it (its
 * source map keeps them), so a file saved while the bundle was being built is found changed on the next run.
 * A file that gave the bundle no code (types only) has no text there and is read now.
 */
function build(entry, outfile) {
    const esbuild = require(require.resolve("esbuild", { paths: [ROOT] }));
    const result = esbuild.buildSync({
        absWorkingDir: ROOT,
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        tsconfig: path.join(ROOT, "tsconfig.json"),
        // Node's order for an import without an extension; a stray .js that would win over its .ts is refused below.
        resolveExtensions: [".js", ".json", ".ts"],
        // No comments and no indentation: less to read and parse on every run (stack traces come from the map).
        minifyWhitespace: true,
        legalComments: "none",
        sourcemap: "external",
        metafile: true,
        write: false,
        outfile,
        logLevel: "silent",
    });
    for (const input of Object.keys(result.metafile.inputs)) refuseIfStray(path.resolve(ROOT, input));
    const js = result.outputFiles.find((f) => f.path.endsWith(".js")).text.replace(/\/\/# sourceMappingURL=.*\n?$/, "");
    const map = result.outputFiles.find((f) => f.path.endsWith(".map")).text;
    const { sources, sourcesContent } = JSON.parse(map);
    const texts = new Map(sources.map((source, i) => [path.relative(ROOT, path.resolve(path.dirname(outfile), source)).split(path.sep).join("/"), sourcesContent[i]]));
    const key = asciiJson(describe(path.relative(ROOT, entry), sourcesOf(Object.keys(result.metafile.inputs)), texts));
    const self = path.relative(ROOT, entry).split(path.sep).join("/");
    const asks = [...texts].some(([file, text]) => file !== self && ASKS_WHERE_IT_IS.test(text ?? ""));
    return { js: asks ? "" : js, map: asks ? "" : map, key };
}

/**
 * The cached bundle of `entry` if it is current, else a new one (kept when the cache can be written); undefined
 * when the entry runs file by file (a module in it asks where it is).
 */
function bundled(entry) {
    const name = path.relative(ROOT, entry).replace(/[\\/:]/g, "!");
    const file = path.join(CACHE, `${name}.js`);
    try {
        const text = fs.readFileSync(file, "utf8");
        const newline = text.indexOf("\n");
        const [, length] = text.slice(0, newline).match(/^\/\/bundle (\d+)$/) ?? [];
        const key = text.slice(newline + 1, newline + 1 + Number(length));
        if (length && isCurrent(JSON.parse(key), path.relative(ROOT, entry))) return text.slice(newline + 1 + key.length) || undefined;
    } catch {
        // not bundled yet
    }
    const { js, map, key } = build(entry, file);
    if (!js) {
        tsCache.keep(file, `//bundle ${key.length}\n${key}`); // remembered: this entry runs file by file until a file changes
        return undefined;
    }
    // Relative to the entry point, whose name the bundle runs under: Node reads a map from a data: URL or a relative
    // one only (lib/internal/source_map/source_map_cache.js, dataFromUrl: any other scheme, file: too, is ignored).
    const mapUrl = path.relative(path.dirname(entry), `${file}.map`).split(path.sep).map(encodeURIComponent).join("/");
    const withMap = `${js}//# sourceMappingURL=${mapUrl}\n`;
    tsCache.keep(`${file}.map`, map);
    tsCache.keep(file, `//bundle ${key.length}\n${key}${withMap}`); // a read-only checkout bundles every time
    return withMap;
}

const fileByFile = Module._extensions[".ts"];
Module._extensions[".ts"] = function loadBundledEntry(module, filename) {
    if (module.id !== ".") return fileByFile(module, filename);
    let js;
    try {
        js = bundled(filename);
    } catch (e) {
        if (e && e.code === "STRAY_SCRIPT") throw e;
        // no esbuild here, or a file it cannot read: tsCache says where
    }
    if (js === undefined) return fileByFile(module, filename);
    module._compile(js, filename);
};
