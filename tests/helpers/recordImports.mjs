// `node --import ./tests/helpers/recordImports.mjs`: appends every module the process
// resolves (ES modules, and CommonJS ones at exit) to the file RECORD_IMPORTS names.
// For tests/architecture/startupImports.test.ts.
import { register } from "node:module";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";

const out = process.env.RECORD_IMPORTS;
if (!out) throw new Error("recordImports.mjs needs RECORD_IMPORTS");
register(
  "data:text/javascript," +
    encodeURIComponent(`
      import { appendFileSync } from "node:fs";
      export async function resolve(specifier, context, next) {
        const r = await next(specifier, context);
        appendFileSync(${JSON.stringify(out)}, r.url + "\\n");
        return r;
      }`),
);
const require = createRequire(import.meta.url);
process.on("exit", () => appendFileSync(out, Object.keys(require.cache).join("\n") + "\n"));
