// Builds the browser parts: the widget script (/widget.js), the demo bank site (/)
// and the agent console (/console) into dist/. Fast enough to run before every start.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { build } from "esbuild";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dist = path.join(root, "dist");
fs.mkdirSync(dist, { recursive: true });

function copyDir(from, to) {
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, to, { recursive: true });
}

const common = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["es2020", "chrome90", "safari14", "firefox90"],
  legalComments: "none",
  logLevel: "warning",
};

if (fs.existsSync(path.join(root, "widget/src/index.ts"))) {
  await build({ ...common, entryPoints: [path.join(root, "widget/src/index.ts")], outfile: path.join(dist, "widget.js"), format: "iife" });
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dist, "widget.js"))).length;
  if (process.env.BUILD_VERBOSE) console.log(`widget.js: ${(gz / 1024).toFixed(1)} KB gzipped`);
}
copyDir(path.join(root, "widget/demo"), path.join(dist, "demo"));

if (fs.existsSync(path.join(root, "console/src/main.ts"))) {
  await build({
    ...common,
    entryPoints: [path.join(root, "console/src/main.ts")],
    outfile: path.join(dist, "console/app.js"),
    format: "esm",
  });
}
copyDir(path.join(root, "console/public"), path.join(dist, "console"));
