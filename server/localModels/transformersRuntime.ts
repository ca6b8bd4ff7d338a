import path from "node:path";

/**
 * The local-model runtime is an optional peer dependency: with its ONNX runtime it
 * is hundreds of MB, and the defaults need none of it. A bank that sets
 * EMBEDDER=transformers or SENTIMENT=transformers adds it
 * (`npm install @huggingface/transformers@^3.8.1`).
 * Named in a variable so that type-checking does not need it installed.
 */
const RUNTIME = "@huggingface/transformers";
interface TransformersRuntime {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: string, model: string, opts: { dtype: "fp32" }): Promise<unknown>;
}

async function loadRuntime(setting: string): Promise<TransformersRuntime> {
  try {
    return (await import(RUNTIME)) as TransformersRuntime;
  } catch (err) {
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners say they could not resolve it.
    const missing = (err as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || /could not resolve|cannot find/i.test(String(err));
    if (!missing || !String(err).includes(RUNTIME)) throw err;
    throw new Error(`${setting} needs the local-model runtime: run \`npm install ${RUNTIME}@^3.8.1\` (it is not installed by default)`);
  }
}

// transformers.js reads its model location from one global `env`: loads are queued so
// that an embedder and a sentiment model in different folders never read each other's.
let loading: Promise<unknown> = Promise.resolve();

/**
 * A transformers.js pipeline for `task` from a local model directory (config.json,
 * tokenizer files, onnx/model.onnx); fetched from the Hugging Face hub only when
 * `allowRemote` (TRANSFORMERS_ALLOW_REMOTE=true). `setting` names the configuration
 * that asked for it, for the error when the runtime is not installed.
 */
export async function loadLocalPipeline(
  task: "feature-extraction" | "text-classification",
  opts: { modelDir: string; allowRemote: boolean; setting: string },
): Promise<{ pipe: unknown; name: string }> {
  const { env, pipeline } = await loadRuntime(opts.setting);
  const dir = path.resolve(opts.modelDir);
  const name = path.basename(dir);
  const load = loading.then(async () => {
    env.allowRemoteModels = opts.allowRemote;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(dir);
    return pipeline(task, name, { dtype: "fp32" });
  });
  loading = load.catch(() => {});
  return { pipe: await load, name };
}
