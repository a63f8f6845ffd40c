// Fetches the shipped small model (public/models/widen-reverse.json, made by `npm run -s experiment -- widen-train`).
// In the build every widget chunk sits one folder below the site root (dist/assets/), so '../models/…' from
// import.meta.url finds it on any page and any origin, as the tfjs .wasm files are found; in dev, from the server root.
import { decodeTransformer, type TransformerFile } from '../../src/math/transformer-file.ts';
import type { TransformerWeights } from '../../src/math/transformer.ts';
import { SMALL_MODEL_PATH } from '../../src/models/widen-training.ts';

export async function loadSmallModel(): Promise<{ file: TransformerFile; weights: TransformerWeights<Float32Array> }> {
  const url = new URL(/* @vite-ignore */ (import.meta.env.DEV ? '/' : '../') + SMALL_MODEL_PATH, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the small model's weights (${url.pathname}) did not load: HTTP ${response.status}`);
  const file = (await response.json()) as TransformerFile;
  return { file, weights: decodeTransformer(file) };
}
