// Worker-side computations that characterise a backend: `probe` (a fixed, deterministic 4×3·3×4 matmul, softmax
// and weighted sum whose numbers must agree across backends) and `benchmark` (forward + backward + SGD update of
// a toy-GAN-sized MLP: batch 256, 2→32→32→1). Invariants: tf is passed in (this module only imports tfjs types),
// every step runs inside tf.tidy, nothing is awaited inside a tidy, results are read with `await t.data()`, and
// every tensor created here is disposed before returning.
import type * as TF from '@tensorflow/tfjs-core';
import type { BackendName, BenchResult, ProbeResult } from './protocol.ts';
import { Rng } from '../math/rng.ts';

type Tf = typeof TF;

/** The probe's fixed inputs (row-major). Exported so tests can compute the reference in plain JS. */
export const PROBE_A = [0.5, -1, 0.25, 1.5, 0.75, -0.5, -2, 0.125, 1, 0.3, -0.7, 2]; // 4×3
export const PROBE_B = [1, -0.5, 0.2, 0.8, -1.2, 0.4, 1.1, -0.3, 0.6, 0.9, -0.8, 0.05]; // 3×4

export async function probe(tf: Tf, backend: BackendName): Promise<ProbeResult> {
  const [m, s, total] = tf.tidy(() => {
    const a = tf.tensor2d(PROBE_A, [4, 3]);
    const b = tf.tensor2d(PROBE_B, [3, 4]);
    const mm = tf.matMul(a, b);
    const sm = tf.softmax(mm);
    const w = tf.outerProduct(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 2, 3, 4]));
    return [mm, sm, tf.sum(tf.mul(sm, w))];
  });
  try {
    const [mv, sv, tv] = await Promise.all([m.data(), s.data(), total.data()]);
    return { backend, tfVersion: tf.version_core, matmul: Array.from(mv), softmax: Array.from(sv), sum: tv[0] };
  } finally {
    tf.dispose([m, s, total]);
  }
}

const BATCH = 256;
const WIDTH = 32;

/** Forward + backward + SGD update of a 2→32→32→1 MLP, timed over `steps` steps after `warmup` steps. */
export async function benchmark(tf: Tf, backend: BackendName, steps = 20, warmup = 3): Promise<BenchResult> {
  const rng = new Rng('runtime-bench');
  const init = (rows: number, cols: number) =>
    tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols), 0, Math.sqrt(2 / rows)), [rows, cols]);
  const x = tf.tensor2d(rng.fillNormal(new Float32Array(BATCH * 2)), [BATCH, 2]);
  const y = tf.tensor2d(rng.fillUniform(new Float32Array(BATCH), -1, 1), [BATCH, 1]);
  let params: TF.Tensor[] = [init(2, WIDTH), tf.zeros([WIDTH]), init(WIDTH, WIDTH), tf.zeros([WIDTH]), init(WIDTH, 1), tf.zeros([1])];
  const lossOf = (w1: TF.Tensor, b1: TF.Tensor, w2: TF.Tensor, b2: TF.Tensor, w3: TF.Tensor, b3: TF.Tensor) => {
    const h1 = tf.relu(tf.add(tf.matMul(x, w1 as TF.Tensor2D), b1));
    const h2 = tf.relu(tf.add(tf.matMul(h1, w2 as TF.Tensor2D), b2));
    const out = tf.add(tf.matMul(h2, w3 as TF.Tensor2D), b3);
    return tf.mean(tf.square(tf.sub(out, y)));
  };
  const gradFn = tf.grads((...ws: TF.Tensor[]) => lossOf(ws[0], ws[1], ws[2], ws[3], ws[4], ws[5]));
  let loss: TF.Tensor | null = null;
  const step = () => {
    const [next, l] = tf.tidy(() => {
      const gs = gradFn(params);
      const updated = params.map((p, i) => tf.sub(p, tf.mul(gs[i], 0.05)));
      return [updated, lossOf(updated[0], updated[1], updated[2], updated[3], updated[4], updated[5])] as const;
    });
    tf.dispose(params);
    loss?.dispose();
    params = next;
    loss = l;
  };
  const sync = async () => (loss ? (await loss.data())[0] : NaN);
  try {
    let t0 = performance.now();
    for (let i = 0; i < warmup; i++) step();
    await sync();
    const warmupMs = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    const final = await sync();
    const msPerStep = (performance.now() - t0) / Math.max(1, steps);
    return { backend, warmupMs, msPerStep, steps, loss: final };
  } finally {
    tf.dispose([x, y, ...params]);
    (loss as TF.Tensor | null)?.dispose();
  }
}
