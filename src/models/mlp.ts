// A small multilayer perceptron built from tf.variable weights, initialised from a seeded JS random source so that
// the same seed gives the same network on every backend. Hidden layers use the chosen activation; the last layer is
// linear (the caller adds an output activation such as g_f). Init: He normal (std √(2/fan_in)) for relu and
// leaky-relu, and for elu, whose slope is 1 on the positive side; Glorot uniform (±√(6/(fan_in+fan_out))) for tanh
// and for the linear output layer. Biases start at 0. Invariant: `variables` lists every tensor the MLP owns, and
// `dispose()` frees exactly those.
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

function applyActivation(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'relu': return tf.relu(x);
    case 'leaky-relu': return tf.leakyRelu(x, LEAKY_SLOPE);
    case 'tanh': return tf.tanh(x);
    case 'elu': return tf.elu(x);
  }
}

/** dL/dh for h the pre-activation, from dL/da for a = act(h). Each case is the activation's derivative written in
 *  the two or three kernels it needs, which is what lets Mlp.backward skip the autodiff tape. */
function activationGrad(h: tf.Tensor, a: tf.Tensor, da: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    case 'relu': return tf.mul(da, tf.step(h));
    case 'leaky-relu': return tf.where(tf.greater(h, 0), da, tf.mul(da, LEAKY_SLOPE));
    case 'tanh': return tf.mul(da, tf.sub(1, tf.square(a)));
    case 'elu': return tf.where(tf.greater(h, 0), da, tf.mul(da, tf.add(a, 1)));
  }
}

/** What a forward pass keeps for the backward pass: each layer's input and its pre- and post-activation. */
export interface MlpTrace {
  inputs: tf.Tensor2D[];
  pre: tf.Tensor2D[];
  post: tf.Tensor2D[];
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

  /** x: [batch, inputDim] → [batch, outputDim] */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      const z = tf.add(tf.matMul(h, this.weights[l]), this.biases[l]) as tf.Tensor2D;
      h = l < last ? (applyActivation(z, this.spec.activation) as tf.Tensor2D) : z;
    }
    return h;
  }

  /** The same map as apply(), keeping the trace that backward() needs. */
  forward(x: tf.Tensor2D): { out: tf.Tensor2D; trace: MlpTrace } {
    const trace: MlpTrace = { inputs: [], pre: [], post: [] };
    let h: tf.Tensor2D = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      trace.inputs.push(h);
      const z = tf.add(tf.matMul(h, this.weights[l]), this.biases[l]) as tf.Tensor2D;
      h = l < last ? (applyActivation(z, this.spec.activation) as tf.Tensor2D) : z;
      trace.pre.push(z);
      trace.post.push(h);
    }
    return { out: h, trace };
  }

  /** Backpropagation written out by hand: given dL/d(out), the gradient of L for every parameter (keyed by variable
   *  name, as tf.variableGrads returns it) and, when asked, for the input. A training step of a network this small
   *  costs what its kernel launches cost; the autodiff tape adds a saved copy per op and generic gradient code
   *  (mlp tests check the two agree). The critic in G's step needs only the input's gradient, G only its params'. */
  backward(trace: MlpTrace, dOut: tf.Tensor2D, want: { params: boolean; input: boolean }): {
    grads: tf.NamedTensorMap;
    dInput: tf.Tensor2D | null;
  } {
    const grads: tf.NamedTensorMap = {};
    const last = this.weights.length - 1;
    let d: tf.Tensor2D = dOut;
    for (let l = last; l >= 0; l--) {
      if (l < last) d = activationGrad(trace.pre[l], trace.post[l], d, this.spec.activation) as tf.Tensor2D;
      // Explicit transposes, not matMul's transpose flags: tfjs-backend-wasm runs a flagged matMul about 4× slower
      // than a transpose plus a plain one (measured for 512×32 operands: 483–535 µs against 128–195 µs).
      if (want.params) {
        grads[this.weights[l].name] = tf.matMul(tf.transpose(trace.inputs[l]), d);
        grads[this.biases[l].name] = tf.sum(d, 0);
      }
      if (l > 0 || want.input) d = tf.matMul(d, tf.transpose(this.weights[l]));
    }
    return { grads, dInput: want.input ? d : null };
  }

  /** Σ|w| over every parameter: a single scalar that is NaN or ∞ as soon as any weight is. */
  absSum(): tf.Scalar {
    return tf.tidy(() => tf.addN(this.variables.map((v) => tf.sum(tf.abs(v)))) as tf.Scalar);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.weights.length = 0;
    this.biases.length = 0;
  }
}
