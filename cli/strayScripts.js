"use strict";
/**
 * Refuses to load a stray script: a `.js`, `.json` or `.node` file outside node_modules that sits beside a `.ts`
 * file of the same name (or beside a folder with an index.ts). For `require("./x")` Node tries x.js, x.json and
 * x.node before any other extension, and x/index.* only after x.*, so such a file would run instead of the
 * TypeScript that was reviewed: a compiled copy left behind, or one planted by a pull request.
 *
 * Loaded by cli/tsCache.js (every command), by ts-node through tsconfig.json's "ts-node": { "require" } (the
 * Pulumi CLI running index.ts, the tests, and the dynamic providers' forwarder in
 * components/dynamic/loadedProvider.ts, which registers ts-node with that tsconfig.json), and used by
 * cli/bundleCache.js on what it bundles. Always by its full name, with its extension, so that it cannot itself
 * be shadowed.
 *
 * Plain JavaScript on purpose: it runs before any TypeScript can be loaded.
 */
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const SHADOWING = [".js", ".json", ".node"];

/** The TypeScript that `file` would run instead of, or undefined. */
function shadowedBy(file) {
    const ext = path.extname(file);
    if (!SHADOWING.includes(ext) || /[\\/]node_modules[\\/]/.test(file)) return undefined;
    const base = file.slice(0, -ext.length);
    return [`${base}.ts`, path.join(base, "index.ts")].find((ts) => fs.existsSync(ts));
}

/** The error for a stray script: what, why, and what to do. */
function strayScriptError(file, ts) {
    const error = new Error(
        `${file}: refused: it sits beside ${ts}, and Node would run it instead of that TypeScript (a compiled copy left behind, or a planted one that a review of the .ts does not show); delete ${path.basename(file)}`,
    );
    error.code = "STRAY_SCRIPT";
    return error;
}

/** Throws if `file` is a stray script. */
function refuseIfStray(file) {
    const ts = shadowedBy(file);
    if (ts) throw strayScriptError(file, ts);
}

// Once per process, whoever loads this first (tsCache, or ts-node's preload).
if (!Module._extensions[".js"].refusesStrayScripts) {
    for (const ext of SHADOWING) {
        const load = Module._extensions[ext];
        const guarded = function loadUnlessStray(module, filename) {
            refuseIfStray(filename);
            return load.call(this, module, filename);
        };
        guarded.refusesStrayScripts = true;
        Module._extensions[ext] = guarded;
    }
}

module.exports = { shadowedBy, refuseIfStray, strayScriptError };
