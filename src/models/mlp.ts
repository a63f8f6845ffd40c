// A small multilayer perceptron built from tf.variable weights, initialised from a seeded JS random source so that
// the same seed gives the same network on every backend. Hidden layers use the chosen activation; the last layer is
// linear (the caller adds an output activation such as g_f). Init: He normal (std √(2/fan_in)) for relu and
// leaky-relu, and for elu, whose slope is 1 on the positive side; Glorot uniform (±√(6/(fan_in+fan_out))) for tanh
// and for the linear output layer. Biases start at 0. Invariant: `variables` lists every tensor the MLP owns, and
// `dispose()` frees exactly those.
// Speed: a training step of a network this small costs what its kernels cost, and on wasm an elementwise kernel over
// a 512 × 32 batch costs about as much as the 512 × 32 × 32 matMul before it. So the backward pass takes every
// activation's derivative from the layer's output (or the slope the forward pass computed anyway), never keeping
// pre-activations, and avoids the kernels that are slow on wasm: tf.where and comparisons (the old leaky-relu
// derivative), wasm's own leaky-relu (3× a relu) and flagged-transpose matMuls; and it gives each matMul the
// thinner of its two batch-sized operands as the second one, which wasm packs afresh for every new tensor (see
// paramGrads). tf.fused.matMul (matMul + bias + activation in one kernel) is not used: it gained under 5 % of a GAN
// step on wasm, its leaky-relu is slower than the two kernels it replaces, and it has no gradient for leaky-relu or elu.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../math/rng.ts';
import { ACTIVATIONS, type Activation } from './fgan-options.ts';

export { ACTIVATIONS, type Activation };

export interface MlpSpec {
  inputDim: number;
  outputDim: number;
  /** number of hidden layers (0 gives a single affine map) */
  depth: number;
  width: number;
  activation: Activation;
  /** factor on the output layer's initial weights (default 1; 0 starts the network at the constant output 0) */
  outputScale?: number;
}

/** Slope of leaky-relu on the negative side (the DCGAN / GAN Lab choice). */
const LEAKY_SLOPE = 0.2;

function applyActivation(x: tf.Tensor, a: Exclude<Activation, 'leaky-relu'>): tf.Tensor {
  switch (a) {
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'elu': return tf.elu(x);
  }
}

/** dL/dz for the pre-activation z, from dL/da and the output a = act(z) alone (or the slope the forward pass kept):
 * relu has a > 0 exactly where z > 0, elu's slope below 0 is e^z = a + 1 (the EluGrad kernel autodiff uses), tanh's
 * is 1 − a². */
function activationGrad(a: tf.Tensor, slope: tf.Tensor | null, da: tf.Tensor, act: Activation): tf.Tensor {
  if (slope) return tf.mul(da, slope);
  switch (act) {
    case 'relu': return tf.mul(da, tf.step(a));
    case 'leaky-relu': return tf.mul(da, tf.step(a, LEAKY_SLOPE));
    case 'tanh': return tf.mul(da, tf.sub(1, tf.square(a)));
    case 'elu': return tf.engine().runKernel(tf.EluGrad, { dy: da, y: a }) as tf.Tensor;
  }
}

/** The batch axis padded with 8 zero rows when it is a multiple of 512, which changes no product or sum over it.
 * tfjs-backend-wasm's transpose (and its column sum, which transposes first) runs 4–7× slower on 512, 1,024 or 2,048
 * rows than on 520 (measured for 32 columns: 39 against 8 µs, 47 against 17 µs for the sum): the output's rows are
 * then a power-of-two stride apart, so its writes keep evicting each other from the same cache sets. The GAN critic's
 * batch is real and generated samples stacked, 512 rows on the default settings; its trainer pads it once, at the
 * input (aliasingPad), so this per-layer padding is the fallback for callers that do not. */
function offAliasing(t: tf.Tensor2D): tf.Tensor2D {
  const pad = aliasingPad(t.shape[0]);
  return pad ? tf.pad(t, [[0, pad], [0, 0]]) : t;
}

/** Zero rows a caller can append to a batch of `rows` before the forward pass, so that backward() needs no padding:
 * 8 on wasm when rows is a multiple of 512 (see offAliasing), else 0. Rows whose upstream gradient is zero add
 * nothing to any parameter gradient, so the caller gives them a zero gradient and pads once, at the input, instead
 * of paramGrads padding each layer's h and d (six pad kernels per critic step). */
export function aliasingPad(rows: number): number {
  return onWasm() && rows % 512 === 0 ? 8 : 0;
}

/** Both rules above are for wasm, where a batch-sized second operand is costly and its transposes hit cache
 * conflicts; the cpu backend's transpose is a plain loop that costs in proportion to the operand (its step took 2.5×
 * as long with them), and webgl runs each as a shader pass: there the thinner operand is transposed, nothing padded. */
const onWasm = (): boolean => tf.getBackend() === 'wasm';

/** The gradients of a layer's weights [k, m] and bias [m] from its input h [n, k] and dL/dz d [n, m]: hᵀd and d summed
 * over the batch. On wasm the thinner of h and d is the matMul's second operand and the wider one is transposed (the
 * product transposed back at [m, k] when that is d); elsewhere the thinner one is transposed (a reshape when it has one
 * column), which is what costs least there (see onWasm). tfjs-backend-wasm packs the second operand afresh for every new tensor,
 * which for a batch-sized operand costs more than the transpose of the other (measured on 512 rows: 72 against
 * 87 µs for the first layer, 62 against 73 µs for the critic's output layer), and it runs a flagged-transpose matMul
 * about 4× slower than a transpose plus a plain one (512×32 operands: 483–535 µs against 128–195 µs). */
function paramGrads(h: tf.Tensor2D, d: tf.Tensor2D): { w: tf.Tensor2D; b: tf.Tensor1D } {
  const wasm = onWasm();
  if (wasm) [h, d] = [offAliasing(h), offAliasing(d)];
  const [n, k] = h.shape, m = d.shape[1];
  if (!wasm && m === 1) return { w: tf.reshape(tf.matMul(tf.reshape(d, [1, n]), h), [k, 1]), b: tf.reshape(tf.sum(d), [1]) };
  // transpose d (and the product back) when it is the wider operand on wasm, the thinner one elsewhere
  const w = ((wasm ? k < m : m < k) ? tf.transpose(tf.matMul(tf.transpose(d), h)) : tf.matMul(tf.transpose(h), d)) as tf.Tensor2D;
  return { w, b: m === 1 ? tf.reshape(tf.sum(d), [1]) : tf.sum(d, 0) };
}

/** d Wᵀ: the gradient passed to a layer's input. Never a reshape of W, even when W is one column: tfjs-backend-wasm
 * caches the packed second operand of a matMul by its data, not its shape, so a reshaped view of a weight the
 * forward pass multiplied by would be computed with the forward's packing (wrong numbers, reads out of bounds).
 * A transpose is a copy there. */
function inputGrad(d: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(d, tf.transpose(w));
}

/** What a forward pass keeps for the backward pass: each layer's input (inputs[0] is the network's input, inputs[l]
 * the output of hidden layer l − 1, from which backward() takes that layer's activation derivative) and, where the
 * forward pass computed it anyway (leaky-relu), the slope act'(z) of hidden layer l at slopes[l]. */
export interface MlpTrace {
  inputs: tf.Tensor2D[];
  slopes: (tf.Tensor2D | null)[];
}

export function validateMlpSpec(s: MlpSpec, what: string): void {
  const int = (x: number, lo: number, hi: number): boolean => Number.isInteger(x) && x >= lo && x <= hi;
  if (!int(s.depth, 0, 8)) throw new RangeError(`${what}.depth must be an integer in [0, 8], got ${s.depth}`);
  if (!int(s.width, 1, 512)) throw new RangeError(`${what}.width must be an integer in [1, 512], got ${s.width}`);
  if (!ACTIVATIONS.includes(s.activation)) throw new RangeError(`${what}.activation must be one of ${ACTIVATIONS.join(', ')}, got ${s.activation}`);
}

export class Mlp {
  readonly spec: MlpSpec;
  readonly weights: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];

  constructor(spec: MlpSpec, rng: Rng) {
    this.spec = spec;
    const dims = [spec.inputDim, ...Array<number>(spec.depth).fill(spec.width), spec.outputDim];
    for (let l = 0; l + 1 < dims.length; l++) {
      const fanIn = dims[l], fanOut = dims[l + 1];
      const isOutput = l + 2 === dims.length;
      const w = new Float32Array(fanIn * fanOut);
      if (!isOutput && spec.activation !== 'tanh') {
        const std = Math.sqrt(2 / fanIn);
        for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
      } else {
        const lim = Math.sqrt(6 / (fanIn + fanOut)) * (isOutput ? spec.outputScale ?? 1 : 1);
        // draw even when the scale is 0, so the stream (and every later layer) is the same whatever the scale
        for (let i = 0; i < w.length; i++) w[i] = lim * (2 * rng.uniform() - 1);
      }
      // tf.variable copies the initial value; free the temporaries at once
      this.weights.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true)));
      this.biases.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]), true)));
    }
  }

  get variables(): tf.Variable[] {
    return [...this.weights, ...this.biases];
  }

  /** x: [batch, inputDim] → [batch, outputDim]. Differentiable by autodiff too (tf.step's gradient is zero, so
   * z·step(z, 0.2) has leaky-relu's). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return this.forward(x).out;
  }

  /** apply(), keeping the trace that backward() needs. */
  forward(x: tf.Tensor2D): { out: tf.Tensor2D; trace: MlpTrace } {
    const trace: MlpTrace = { inputs: [], slopes: [] };
    let h: tf.Tensor2D = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      trace.inputs.push(h);
      const z = tf.add(tf.matMul(h, this.weights[l]), this.biases[l]) as tf.Tensor2D;
      if (l === last) h = z;
      else if (this.spec.activation === 'leaky-relu') {
        // z·s with s = step(z, 0.2) ∈ {1, 0.2}: bit for bit tf.leakyRelu at a third of its cost on wasm, and s is
        // the slope the backward pass needs
        const s = tf.step(z, LEAKY_SLOPE) as tf.Tensor2D;
        trace.slopes[l] = s;
        h = tf.mul(z, s);
      } else h = applyActivation(z, this.spec.activation) as tf.Tensor2D;
    }
    return { out: h, trace };
  }

  /** Backpropagation written out by hand: given dL/d(out), the gradient of L for every parameter (keyed by variable
   *  name, as tf.variableGrads returns it) and, when asked, for the input. The autodiff tape would add a saved copy
   *  per op and generic gradient code (mlp tests check the two agree). The critic in G's step needs only the
   *  input's gradient, G only its params'. */
  backward(trace: MlpTrace, dOut: tf.Tensor2D, want: { params: boolean; input: boolean }): {
    grads: tf.NamedTensorMap;
    dInput: tf.Tensor2D | null;
  } {
    const grads: tf.NamedTensorMap = {};
    const last = this.weights.length - 1;
    let d: tf.Tensor2D = dOut;
    for (let l = last; l >= 0; l--) {
      if (l < last) d = activationGrad(trace.inputs[l + 1], trace.slopes[l] ?? null, d, this.spec.activation) as tf.Tensor2D;
      if (want.params) {
        const g = paramGrads(trace.inputs[l], d);
        grads[this.weights[l].name] = g.w;
        grads[this.biases[l].name] = g.b;
      }
      if (l > 0 || want.input) d = inputGrad(d, this.weights[l] as tf.Tensor2D);
    }
    return { grads, dInput: want.input ? d : null };
  }

  /** One backward pass for two losses of a network with one output (the single-loss GAN step): the parameter
   * gradient of L₁, given dL₁/d(out) on every row (`dParams`, [n, 1]), and the input gradient of L₂ on the m rows
   * from `tailFrom` (default: the last m), given dL₂/d(out) there (`dInputTail`, [m, 1]). Backpropagation is linear
   * in the upstream gradient and, with one
   * output, the gradient reaching row i is that row's scalar times J_l(i) = ∂out_i/∂z_l(i). So the pass carries J
   * (upstream gradient 1 on every row) and weights rows where each loss needs them: by dParams in each parameter
   * gradient, by dInputTail in the input gradient. Exactly backward(dParams) for the parameters and
   * backward(dInputTail) for the input, at the price of one pass and a row scaling per hidden layer. */
  backwardTwoLosses(trace: MlpTrace, dParams: tf.Tensor2D, dInputTail: tf.Tensor2D, tailFrom = dParams.shape[0] - dInputTail.shape[0]): { grads: tf.NamedTensorMap; dInput: tf.Tensor2D } {
    if (this.spec.outputDim !== 1) throw new Error('backwardTwoLosses needs a network with one output');
    const grads: tf.NamedTensorMap = {};
    const last = this.weights.length - 1;
    const n = dParams.shape[0], m = dInputTail.shape[0];
    const wLast = this.weights[last];
    const gLast = paramGrads(trace.inputs[last], dParams);
    grads[wLast.name] = gLast.w;
    grads[this.biases[last].name] = gLast.b;
    // ∂out/∂(input of the last layer): the row Wᵀ on every row. Broadcasts (a [1, k] or [n, 1] operand against
    // [n, k]) are built as outer products by matMul: the cpu backend's broadcasting multiply costs 3–4× a plain one.
    let j = inputGrad(tf.fill([n, 1], 1), wLast as tf.Tensor2D);
    const weights = last > 0 ? tf.matMul(dParams, tf.fill([1, this.spec.width], 1)) as tf.Tensor2D : null; // dParams, tiled
    for (let l = last - 1; l >= 0; l--) {
      // now ∂out/∂z_l, [n, width]
      j = activationGrad(trace.inputs[l + 1], trace.slopes[l] ?? null, j, this.spec.activation) as tf.Tensor2D;
      const g = paramGrads(trace.inputs[l], tf.mul(j, weights!) as tf.Tensor2D);
      grads[this.weights[l].name] = g.w;
      grads[this.biases[l].name] = g.b;
      j = inputGrad(j, this.weights[l] as tf.Tensor2D);
    }
    // j is ∂out/∂x, one row per input row: the m rows from tailFrom, weighted
    return { grads, dInput: tf.mul(tf.slice(j, [tailFrom, 0], [m, j.shape[1]]), dInputTail) as tf.Tensor2D };
  }

  /** Σ|w| over every parameter: a single scalar that is NaN or ∞ as soon as any weight is. */
  absSum(): tf.Scalar {
    return tf.tidy(() => tf.sum(tf.abs(tf.concat(this.variables.map((v) => tf.reshape(v, [-1]))))) as tf.Scalar);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.weights.length = 0;
    this.biases.length = 0;
  }
}
