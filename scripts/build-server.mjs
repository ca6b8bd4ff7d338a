// Compiles the server (server/ and shared/) ahead of time into dist/node/, one JavaScript
// module per TypeScript source, so that `bankdesk start` runs without tsx's loader
// (server/cli/compiledServer.mjs says why, and when bin.mjs may run the output). Takes a
// second or two; `npm run build` (and so `npm start`) runs it.
//
// Each module is transformed as tsx transforms it (esbuild, the same tsconfig), its
// relative imports pointed at the compiled modules (".ts" → ".js"), packages left to Node
// (a package's JSON excepted, below). The files a module finds beside it at run time
// (migrations, templates, models, dist/) stay in the source tree: `import.meta.url`,
// `.dirname` and `.filename` are rewritten to name the source file, relative to the
// compiled one, so every path computed from them is unchanged and the output tree can move
// together with the sources (a container image).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { OUT_DIR, ROOT, describeSources, listSources, retireBuild, writeManifest } from "../server/cli/compiledServer.mjs";

/** Builds the sources under `root` into `outDir` (which must lie inside `root`, where Node finds the packages). */
export async function buildServer({ root = ROOT, outDir = OUT_DIR } = {}) {
  const sources = listSources(root);
  // Described before compiling: a source saved while the build runs then reads as changed.
  const manifest = describeSources(sources, root);

  // Built beside the output and swapped in at the end, so a process starting meanwhile finds
  // either the previous build (with its manifest) or no manifest, never half of one.
  const tmp = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });

  /** The source file's URL as an expression evaluated in the compiled module. */
  const sourceUrlExpr = (rel) => {
    const fromOut = path
      .relative(path.dirname(path.join(outDir, rel)), path.join(root, rel))
      .split(path.sep)
      .join("/");
    return `new URL(${JSON.stringify(fromOut)}, import.meta.url)`;
  };

  const compiledImports = {
    name: "compiled-imports",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.path.endsWith(".ts")) throw new Error(`${args.importer}: relative import of a non-TypeScript file (${args.path})`);
        return { path: args.path.slice(0, -3) + ".js", external: true };
      });
      // Packages are Node's to resolve, except JSON: esbuild 0.25 drops an external import's
      // `with { type: "json" }`, which Node requires, so a package's JSON is inlined instead.
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.endsWith(".json") ? undefined : { external: true }));
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const url = sourceUrlExpr(path.relative(root, args.path));
        let contents = fs
          .readFileSync(args.path, "utf8")
          .replace(/\bimport\.meta\.url\b/g, () => `${url}.href`)
          .replace(/\bimport\.meta\.filename\b/g, () => `__sourcePath(${url})`)
          .replace(/\bimport\.meta\.dirname\b/g, () => `__sourcePath(new URL(".", ${url})).replace(/[\\/]$/, "")`);
        // Imports are hoisted: appended, so that the module's lines keep their numbers.
        if (contents.includes("__sourcePath(")) contents += `\nimport { fileURLToPath as __sourcePath } from "node:url";\n`;
        return { contents, loader: "ts" };
      });
    },
  };

  await build({
    entryPoints: sources.map((rel) => path.join(root, rel)),
    outdir: tmp,
    outbase: root,
    bundle: true, // with every import external (above): one module in, one module out, imports rewritten
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked", // read only with `node --enable-source-maps`
    logLevel: "warning",
    plugins: [compiledImports],
  });
  writeManifest(tmp, manifest);

  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) {
    retireBuild(outDir);
    fs.renameSync(outDir, old);
  }
  fs.renameSync(tmp, outDir);
  fs.rmSync(old, { recursive: true, force: true });
  return { modules: sources.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const t0 = Date.now();
  const { modules } = await buildServer();
  if (process.env.BUILD_VERBOSE) console.log(`server: ${modules} modules compiled into dist/node in ${Date.now() - t0} ms`);
}
