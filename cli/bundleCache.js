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
 * it holds, with this file, tsconfig.json, esbuild's version and the package.json of every package it holds
 * as they are now: `npm ci` of another version rebuilds it (a file under node_modules edited by hand does not).
 * Otherwise it is built again; nothing needs building beforehand, and `npm ci --ignore-scripts` is enough
 * (esbuild finds its binary in its platform package). When esbuild is missing or cannot bundle (a syntax
 * error), the entry point runs file by file through cli/tsCache.js, which reports the error at FILE:LINE:COL.
 * Like tsCache, nothing is type-checked here.
 *
 * The bundle is compiled as the entry point itself, under its file name: `require.main === module` holds, and
 * a require left in place resolves from the entry's folder. Its source map is a file beside it:
 * `NODE_OPTIONS=--enable-source-maps` gives stack traces in TypeScript lines.
 *
 * Only the entry point of a command whose script starts with this file is bundled: a Pulumi program (npm run
 * plan) loads providers by path at run time and serializes functions, so it keeps tsCache.
 */
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const tsCache = require("./tsCache.js");

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
 * What a bundle was built from: the settings, each own file's whole text and each package's package.json.
 * Compared whole, as JSON, so nothing is left to a hash or a clock. `texts` are what esbuild read, when known.
 */
function keyFor({ files, packages }, texts = new Map()) {
    const esbuildVersion = JSON.parse(read(require.resolve("esbuild/package.json", { paths: [ROOT] }))).version;
    return JSON.stringify({
        settings: [`esbuild ${esbuildVersion}`, read("tsconfig.json"), read(__filename)],
        files: files.map((file) => [file, texts.has(file) ? texts.get(file) : read(file)]),
        packages: packages.map((dir) => [dir, read(path.join(dir, "package.json"))]),
    });
}

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
        sourcemap: "external",
        metafile: true,
        write: false,
        outfile,
        logLevel: "silent",
    });
    const js = result.outputFiles.find((f) => f.path.endsWith(".js")).text.replace(/\/\/# sourceMappingURL=.*\n?$/, "");
    const map = result.outputFiles.find((f) => f.path.endsWith(".map")).text;
    const { sources, sourcesContent } = JSON.parse(map);
    const texts = new Map(sources.map((source, i) => [path.relative(ROOT, path.resolve(path.dirname(outfile), source)).split(path.sep).join("/"), sourcesContent[i]]));
    return { js, map, key: keyFor(sourcesOf(Object.keys(result.metafile.inputs)), texts) };
}

/** The cached bundle of `entry` if it is current, else a new one (kept when the cache can be written). */
function bundled(entry) {
    const name = path.relative(ROOT, entry).replace(/[\\/:]/g, "!");
    const file = path.join(CACHE, `${name}.js`);
    try {
        const text = fs.readFileSync(file, "utf8");
        const newline = text.indexOf("\n");
        const [, length] = text.slice(0, newline).match(/^\/\/bundle (\d+)$/) ?? [];
        const key = text.slice(newline + 1, newline + 1 + Number(length));
        if (length) {
            const built = JSON.parse(key);
            const current = keyFor({ files: built.files.map(([source]) => source), packages: built.packages.map(([dir]) => dir) });
            if (current === key) return text.slice(newline + 1 + key.length);
        }
    } catch {
        // not bundled yet
    }
    const { js, map, key } = build(entry, file);
    // Relative to the entry point, whose name the bundle runs under: Node reads a map from a relative URL only.
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
    } catch {
        return fileByFile(module, filename); // no esbuild here, or a file it cannot read: tsCache says where
    }
    module._compile(js, filename);
};
