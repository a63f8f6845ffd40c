// The tiny Transformer of src/math/transformer.ts in TensorFlow.js (float32): the same weights layout, the same
// function as the float64 reference (transformer-forward.ts) up to float32 rounding, and Adam training with
// cross-entropy on a digit task (src/math/digit-task.ts). The widening explainer builds a narrow model, widens its
// weights with src/math/widen.ts, builds the wide model from them, and trains both side by side; copySpread on the
// wide model's weights (read back with readWeights) shows whether the copies ever come apart
// (https://kexue.fm/archives/8444, "the copies receive identical gradients").
// Invariants: one tf.Variable per parameter (unnamed, so any number of models can coexist); every op runs inside
// tf.tidy and only the tensors a method documents as returned survive it; dispose() frees the variables and the
// optimiser's slots, so tf.memory().numTensors returns to its value before construction. The tied head reads the
// token-embedding variable itself, so the head's gradient reaches the embedding. Reads go through `await data()`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { DigitBatch } from '../math/digit-task.ts';
import { type Arr, type LayerNormParams, type TransformerConfig, type TransformerWeights, listParams, mapWeights } from '../math/transformer.ts';
import { type Comparison, type TraceLike, compareTraces, emptyComparison } from '../math/widen-compare.ts';
import type { WidthMap } from '../math/widen-map.ts';

/** Token ids, row-major [batch, length]. */
export type TokenBatch = Pick<DigitBatch, 'batch' | 'length' | 'inputs'>;

export interface TrainOptions {
  /** Adam step size (default 3e-3: the 4.8k-parameter default model learns 'reverse', batch 32, in about 200 steps) */
  learningRate?: number;
  /** ramp the step size linearly over this many first steps (default 0: none). Adam's first steps move every weight
   * by about ±learningRate whatever its gradient, which jolts a model that is already trained (a widened one). */
  warmupSteps?: number;
}

/** β1 0.9, β2 0.98 as in Vaswani et al. (https://arxiv.org/abs/1706.03762); ε 1e-8 is below float32's noise floor
 * for these gradient sizes, so it never decides a step. */
export const TRANSFORMER_ADAM = { beta1: 0.9, beta2: 0.98, epsilon: 1e-8 } as const;
export const DEFAULT_LEARNING_RATE = 3e-3;

interface ForwardTensors {
  /** [batch·length, vocab] */
  logits: tf.Tensor2D;
  /** [batch·length, dModel] each, as in ForwardTrace */
  hidden: tf.Tensor2D[];
  afterAttention: tf.Tensor2D[];
}

const GELU_C = Math.sqrt(2 / Math.PI);

function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor2D;
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D;
}

export class TransformerModel {
  readonly config: TransformerConfig;
  private readonly template: TransformerWeights;
  private readonly order: tf.Variable[];
  private readonly byName = new Map<string, tf.Variable>();
  private optimizer: tf.Optimizer | null = null;
  private steps = 0;
  private disposed = false;

  /** Copies `weights` (either precision) into float32 variables; later changes to `weights` do not reach the model. */
  constructor(weights: TransformerWeights, readonly options: TrainOptions = {}) {
    this.config = { ...weights.config };
    // only the structure and the ε values are kept (for readWeights and the LayerNorms)
    this.template = mapWeights(weights, this.config, () => new Float32Array(0));
    this.order = listParams(weights).map(({ info, value }) => {
      const shape = info.inSpace === null ? [info.cols] : [info.rows, info.cols];
      const init = tf.tensor(Float32Array.from(value), shape, 'float32');
      const v = tf.variable(init, true);
      init.dispose(); // tf.variable keeps its own copy
      this.byName.set(info.name, v);
      return v;
    });
  }

  get stepCount(): number {
    return this.steps;
  }

  private p(name: string): tf.Variable {
    const v = this.byName.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  private ln(name: string, params: LayerNormParams, x: tf.Tensor2D): tf.Tensor2D {
    return layerNorm(x, this.p(`${name}.gamma`), this.p(`${name}.beta`), params.eps);
  }

  private attention(x: tf.Tensor2D, i: number, B: number, T: number): tf.Tensor2D {
    const { heads: H, dHead } = this.config;
    const pre = `layers.${i}.`;
    const toHeads = (t: tf.Tensor2D) =>
      tf.reshape(tf.transpose(tf.reshape(t, [B, T, H, dHead]), [0, 2, 1, 3]), [B * H, T, dHead]) as tf.Tensor3D;
    const q = toHeads(dense(x, this.p(`${pre}wq`), this.p(`${pre}bq`)));
    const k = toHeads(dense(x, this.p(`${pre}wk`), this.p(`${pre}bk`)));
    const v = toHeads(dense(x, this.p(`${pre}wv`), this.p(`${pre}bv`)));
    const probs = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dHead)));
    const ctx = tf.reshape(tf.transpose(tf.reshape(tf.matMul(probs, v), [B, H, T, dHead]), [0, 2, 1, 3]), [B * T, H * dHead]);
    return dense(ctx as tf.Tensor2D, this.p(`${pre}wo`), this.p(`${pre}bo`));
  }

  private feedForward(x: tf.Tensor2D, i: number): tf.Tensor2D {
    const pre = `layers.${i}.`;
    const h = gelu(dense(x, this.p(`${pre}w1`), this.p(`${pre}b1`))) as tf.Tensor2D;
    return dense(h, this.p(`${pre}w2`), this.p(`${pre}b2`));
  }

  /** The forward pass on token ids; call inside tf.tidy (it returns intermediate tensors it does not track). */
  forward(ids: tf.Tensor2D): ForwardTensors {
    const c = this.config;
    const [B, T] = ids.shape;
    if (T > c.maxLen) throw new RangeError(`sequence length ${T} exceeds maxLen ${c.maxLen}`);
    // one-hot · E rather than gather: gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks; with
    // 10 symbols the product is as cheap, and exact (each row sums one entry times 1 and zeros)
    const oneHot = tf.oneHot(tf.reshape(ids, [B * T]), c.vocab) as tf.Tensor2D;
    const tokens = tf.matMul(tf.cast(oneHot, 'float32') as tf.Tensor2D, this.p('tokenEmbedding') as tf.Tensor2D);
    const positions = tf.tile(tf.slice(this.p('positionEmbedding'), [0, 0], [T, c.dModel]), [B, 1]);
    let x = tf.add(tokens, positions) as tf.Tensor2D;
    const w = this.template;
    if (c.norm === 'post') x = this.ln('embeddingNorm', w.embeddingNorm!, x);
    const hidden = [x];
    const afterAttention: tf.Tensor2D[] = [];
    for (let i = 0; i < c.layers; i++) {
      const { ln1, ln2 } = w.layers[i];
      if (c.norm === 'post') {
        x = this.ln(`layers.${i}.ln1`, ln1, tf.add(x, this.attention(x, i, B, T)));
        afterAttention.push(x);
        x = this.ln(`layers.${i}.ln2`, ln2, tf.add(x, this.feedForward(x, i)));
      } else {
        x = tf.add(x, this.attention(this.ln(`layers.${i}.ln1`, ln1, x), i, B, T));
        afterAttention.push(x);
        x = tf.add(x, this.feedForward(this.ln(`layers.${i}.ln2`, ln2, x), i));
      }
      hidden.push(x);
    }
    const top = c.norm === 'pre' ? this.ln('finalNorm', w.finalNorm!, x) : x;
    const head = c.tied ? tf.matMul(top, this.p('tokenEmbedding'), false, true) : tf.matMul(top, this.p('outW'));
    return { logits: tf.add(head, this.p('outB')), hidden, afterAttention };
  }

  private ids(b: TokenBatch): tf.Tensor2D {
    if (b.inputs.length !== b.batch * b.length) throw new RangeError('inputs must hold batch·length token ids');
    return tf.tensor2d(b.inputs, [b.batch, b.length], 'int32');
  }

  /** Logits [batch·length, vocab]; the caller owns (and disposes) the result. */
  logits(b: TokenBatch): tf.Tensor2D {
    return tf.tidy(() => this.forward(this.ids(b)).logits);
  }

  /** Mean cross-entropy over all positions of the batch. */
  private crossEntropy(logits: tf.Tensor2D, b: DigitBatch): tf.Scalar {
    const labels = tf.oneHot(tf.tensor1d(b.targets, 'int32'), this.config.vocab);
    return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  }

  /** One Adam step on the mean cross-entropy over all positions. Returns the loss before the step; the caller owns
   * it (read it with `await loss.data()` when drawing, then dispose it). */
  trainStep(b: DigitBatch): tf.Scalar {
    if (this.disposed) throw new Error('TransformerModel used after dispose()');
    if (!this.optimizer) {
      const { beta1, beta2, epsilon } = TRANSFORMER_ADAM;
      this.optimizer = tf.train.adam(this.options.learningRate ?? DEFAULT_LEARNING_RATE, beta1, beta2, epsilon);
    }
    const opt = this.optimizer;
    const warmup = this.options.warmupSteps ?? 0;
    if (warmup > 0) {
      // tfjs's Adam reads its learningRate field at every update
      const base = this.options.learningRate ?? DEFAULT_LEARNING_RATE;
      (opt as unknown as { learningRate: number }).learningRate = base * Math.min(1, (this.steps + 1) / warmup);
    }
    const cost = tf.tidy(() => opt.minimize(() => this.crossEntropy(this.forward(this.ids(b)).logits, b), true, this.order) as tf.Scalar);
    this.steps++;
    return cost;
  }

  /** Mean cross-entropy and the fraction of positions answered right. */
  async evaluate(b: DigitBatch): Promise<{ loss: number; accuracy: number }> {
    const [loss, pred] = tf.tidy(() => {
      const logits = this.forward(this.ids(b)).logits;
      return [this.crossEntropy(logits, b), tf.argMax(logits, 1)];
    });
    const [l, p] = await Promise.all([loss.data(), pred.data()]);
    loss.dispose();
    pred.dispose();
    let right = 0;
    for (let i = 0; i < p.length; i++) if (p[i] === b.targets[i]) right++;
    return { loss: l[0], accuracy: right / p.length };
  }

  /** The current weights as float32 arrays, in the layout of src/math/transformer.ts (ε as constructed). */
  async readWeights(): Promise<TransformerWeights<Float32Array>> {
    const data = await Promise.all(this.order.map((v) => v.data() as Promise<Float32Array>));
    let i = 0;
    return mapWeights<Arr, Float32Array>(this.template, this.config, () => data[i++]);
  }

  /** Per-sequence float32 states (logits, residual stream) in the shape compareTraces expects. */
  async traces(b: TokenBatch): Promise<TraceLike[]> {
    const states = tf.tidy(() => {
      const f = this.forward(this.ids(b));
      return [f.logits, ...f.hidden, ...f.afterAttention];
    });
    const data = await Promise.all(states.map((t) => t.data() as Promise<Float32Array>));
    states.forEach((t) => t.dispose());
    const L = this.config.layers;
    const { vocab, dModel } = this.config;
    const T = b.length;
    return Array.from({ length: b.batch }, (_, s) => ({
      length: T,
      logits: data[0].subarray(s * T * vocab, (s + 1) * T * vocab),
      hidden: data.slice(1, L + 2).map((d) => d.subarray(s * T * dModel, (s + 1) * T * dModel)),
      afterAttention: data.slice(L + 2).map((d) => d.subarray(s * T * dModel, (s + 1) * T * dModel)),
    }));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.order) v.dispose();
    this.optimizer?.dispose();
    this.optimizer = null;
  }
}

/** compare() of widen-compare.ts in float32: narrow vs wide tfjs models on the same token batch. The wide model's
 * states are mapped back to narrow width with `map` (the map widen() returned). */
export async function compareModels(narrow: TransformerModel, wide: TransformerModel, map: WidthMap, b: TokenBatch): Promise<Comparison> {
  const [a, w] = await Promise.all([narrow.traces(b), wide.traces(b)]);
  const acc = emptyComparison(narrow.config.layers);
  a.forEach((t, i) => compareTraces(t, w[i], map, acc));
  return acc;
}
