// The server compiled ahead of time to JavaScript (`npm run build`: scripts/build-server.mjs)
// and the rule that says whether that output may run: only when it was built from exactly
// the TypeScript sources that are here now. Plain JavaScript, because bin.mjs decides with it
// before any TypeScript can load.
//
// Why compile: tsx's loader (its resolver and esbuild transforms, each source's compiled
// text kept by the loader) cost a web process about 55 MB and a worker about 55 MB of
// their idle RSS (README, "Idle memory"); every production process would pay it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Where the compiled tree goes: dist/node/server/..., dist/node/shared/... (gitignored with dist/). */
export const OUT_DIR = path.join(ROOT, "dist", "node");
/** The folders compiled: what the server imports. */
export const SOURCE_DIRS = ["server", "shared"];
/** Raised when what the build does to a source changes, so that output of an older build is not run. */
export const BUILD_FORMAT = 1;

const MANIFEST = "manifest.json";

/** The TypeScript sources the server may import: every .ts under SOURCE_DIRS except tests. Paths relative to `root`, sorted. */
export function listSources(root = ROOT) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) out.push(r);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) walk(d);
  return out.sort();
}

const sha1 = (file) => crypto.createHash("sha1").update(fs.readFileSync(file)).digest("hex");

/** The manifest of a build of `sources`: each source's size and modification time, to tell it changed without reading it, and its content's hash for when those cannot tell. */
export function describeSources(sources, root = ROOT) {
  const described = {};
  for (const rel of sources) {
    const file = path.join(root, rel);
    const st = fs.statSync(file);
    described[rel] = { mtimeMs: st.mtimeMs, size: st.size, sha1: sha1(file) };
  }
  return { format: BUILD_FORMAT, sources: described };
}

export function writeManifest(outDir, manifest) {
  fs.writeFileSync(path.join(outDir, MANIFEST), JSON.stringify(manifest));
}

/** Removes a build's manifest: from then on that output is never taken for current. */
export function retireBuild(outDir) {
  fs.rmSync(path.join(outDir, MANIFEST), { force: true });
}

/**
 * Whether the compiled server in `outDir` is current: a manifest of this BUILD_FORMAT whose
 * sources are exactly today's (none added or removed), each with the same size and either
 * the same modification time or, when that differs (a checkout or a copy touched it without
 * changing it), the same content. Returns the reason when it is not.
 */
export function compiledStatus(root = ROOT, outDir = OUT_DIR) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), "utf8"));
  } catch {
    return { current: false, reason: "not built" };
  }
  if (manifest.format !== BUILD_FORMAT) return { current: false, reason: "built by another version of the build" };
  const recorded = manifest.sources ?? {};
  const now = listSources(root);
  if (now.length !== Object.keys(recorded).length) return { current: false, reason: "sources added or removed since the build" };
  for (const rel of now) {
    const r = recorded[rel];
    if (!r) return { current: false, reason: `${rel} is new since the build` };
    const file = path.join(root, rel);
    const st = fs.statSync(file);
    if (st.size !== r.size || (st.mtimeMs !== r.mtimeMs && sha1(file) !== r.sha1))
      return { current: false, reason: `${rel} changed since the build` };
  }
  return { current: true };
}

/** The compiled CLI entry (a file URL) when the build in `outDir` is current, else null: bin.mjs then runs the sources through tsx. */
export function compiledEntry(root = ROOT, outDir = OUT_DIR) {
  const entry = path.join(outDir, "server/cli/main.js");
  if (!fs.existsSync(entry) || !compiledStatus(root, outDir).current) return null;
  return pathToFileURL(entry).href;
}
