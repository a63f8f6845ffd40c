// Optimisers that update all of one network's variables as a single flat vector. For networks this small the cost
// of a training step is the number of kernel launches, not arithmetic: tf.train.adam runs about 14 kernels per
// variable (84 for a 2-hidden-layer MLP), this runs 26 for the whole network as tf ops (WebGL) and ONE on cpu and
// wasm, where the update is a JavaScript kernel with the same numbers to the bit (flat-update-kernel.ts). Same
// update rules as tf.train.adam / rmsprop / sgd (bias-corrected Adam; RMSprop without momentum, not centred), so
// results agree with them to float rounding. Several networks can share one optimiser as segments of the vector,
// each with its own learning rate and step count (the single-loss GAN step updates both players at once: one update
// instead of two); every element gets exactly the arithmetic a separate optimiser would give it, so the numbers are
// the same to the bit. Invariant: every tensor it makes lives inside the caller's tidy or in its moment variables
// and cached factors, which dispose() frees.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from './fgan-config.ts';
import { ADAM, RMSPROP, flatUpdate, hasFlatUpdateKernel, type FlatUpdateVariable } from './flat-update-kernel.ts';

export { ADAM, RMSPROP };

export interface OptimizerSegment {
  config: OptimizerConfig;
  vars: tf.Variable[];
}

interface Segment {
  lr: number;
  vars: tf.Variable[];
  /** where the segment starts in the flat vector, and its length */
  offset: number;
  size: number;
  /** updates taken (Adam's bias correction) */
  t: number;
}

export class FlatOptimizer {
  private readonly kind: OptimizerConfig['kind'];
  private readonly segments: Segment[];
  private readonly total: number;
  private readonly slots: tf.Variable[];
  /** a per-element factor kept between updates while its values stay the same (learning rates over segments) */
  private factor: { key: string; tensor: tf.Tensor1D } | null = null;

  /** whether updates may run as one kernel where the backend has it (false: always the op chain, for tests) */
  private readonly kernel: boolean;

  constructor(config: OptimizerConfig, vars: tf.Variable[]);
  constructor(segments: OptimizerSegment[], options?: { kernel?: boolean });
  constructor(a: OptimizerConfig | OptimizerSegment[], b: tf.Variable[] | { kernel?: boolean } = {}) {
    const segments = Array.isArray(a) ? a : [{ config: a, vars: b as tf.Variable[] }];
    this.kernel = Array.isArray(a) ? (b as { kernel?: boolean }).kernel ?? true : true;
    this.kind = segments[0].config.kind;
    if (segments.some((g) => g.config.kind !== this.kind)) throw new Error('the segments of one FlatOptimizer must share its kind');
    let offset = 0;
    this.segments = segments.map((g) => {
      const size = g.vars.reduce((n, v) => n + v.size, 0);
      const seg = { lr: g.config.lr, vars: g.vars, offset, size, t: 0 };
      offset += size;
      return seg;
    });
    this.total = offset;
    const slotCount = this.kind === 'adam' ? 2 : this.kind === 'rmsprop' ? 1 : 0;
    // tf.variable keeps its initial tensor alive beside itself: dispose the zeros once the variable holds them.
    this.slots = Array.from({ length: slotCount }, () => {
      const zeros = tf.zeros([this.total]);
      const slot = tf.variable(zeros, false);
      zeros.dispose();
      return slot;
    });
  }

  /** A new step size for a segment's next updates (the first by default); the moment estimates carry on (as when a
   * schedule changes lr). */
  setLearningRate(lr: number, segment = 0): void {
    this.segments[segment].lr = lr;
  }

  /** One update from gradients keyed by variable name (as tf.variableGrads returns them), of every segment or of
   * one. Call inside tf.tidy. */
  apply(grads: tf.NamedTensorMap, segment?: number): void {
    const segs = segment === undefined ? this.segments : [this.segments[segment]];
    if (this.kernel && hasFlatUpdateKernel()) return this.applyKernel(grads, segs);
    if (this.kind === 'sgd') {
      for (const g of segs) for (const v of g.vars) v.assign(tf.sub(v, tf.mul(grads[v.name], g.lr)));
      return;
    }
    const vars = segs.flatMap((g) => g.vars);
    const g = tf.concat(vars.map((v) => tf.reshape(grads[v.name], [-1])));
    for (const seg of segs) seg.t++;
    // the slots' part for these segments, and how to write it back (whole, or spliced between the others')
    const whole = segs.length === this.segments.length;
    const from = segs[0].offset, size = segs.reduce((n, x) => n + x.size, 0);
    const read = (slot: tf.Variable): tf.Tensor => (whole ? slot : tf.slice(slot, from, size));
    const write = (slot: tf.Variable, part: tf.Tensor) => {
      if (whole) return slot.assign(part);
      const pieces = [from > 0 ? tf.slice(slot, 0, from) : null, part, from + size < this.total ? tf.slice(slot, from + size) : null];
      slot.assign(tf.concat(pieces.filter((x): x is tf.Tensor => x !== null)));
    };
    let step: tf.Tensor;
    if (this.kind === 'adam') {
      const [m, s] = this.slots;
      const m1 = tf.add(tf.mul(read(m), ADAM.beta1), tf.mul(g, 1 - ADAM.beta1));
      const s1 = tf.add(tf.mul(read(s), ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2));
      write(m, m1);
      write(s, s1);
      // lr · m̂ / (√ŝ + ε) with m̂ = m/c1, ŝ = s/c2, arranged as one division and one scale
      const c2 = this.perElement(segs, (x) => 1 - ADAM.beta2 ** x.t);
      step = tf.mul(tf.div(m1, tf.add(tf.sqrt(tf.div(s1, c2)), ADAM.epsilon)), this.perElement(segs, (x) => x.lr / (1 - ADAM.beta1 ** x.t)));
    } else {
      const [ms] = this.slots;
      const ms1 = tf.add(tf.mul(read(ms), RMSPROP.decay), tf.mul(tf.square(g), 1 - RMSPROP.decay));
      write(ms, ms1);
      step = tf.mul(tf.div(g, tf.sqrt(tf.add(ms1, RMSPROP.epsilon))), this.perElement(segs, (x) => x.lr));
    }
    const parts = tf.split(step, vars.map((v) => v.size));
    vars.forEach((v, i) => v.assign(tf.sub(v, tf.reshape(parts[i], v.shape))));
  }

  private applyKernel(grads: tf.NamedTensorMap, segs: Segment[]): void {
    const variables: FlatUpdateVariable[] = [];
    for (const seg of segs) {
      seg.t++;
      const scale = this.kind === 'adam' ? seg.lr / (1 - ADAM.beta1 ** seg.t) : seg.lr;
      const c2 = 1 - ADAM.beta2 ** seg.t;
      let offset = seg.offset;
      for (const v of seg.vars) {
        variables.push({ offset, scale, c2 });
        offset += v.size;
      }
    }
    const vars = segs.flatMap((g) => g.vars);
    const next = flatUpdate(this.kind, vars, vars.map((v) => grads[v.name]), this.slots, variables);
    vars.forEach((v, i) => v.assign(next[i]));
    this.slots.forEach((s, j) => s.assign(next[vars.length + j]));
  }

  /** A factor with one value per segment: a number when the segments agree on it (one segment, always), else one
   * float32 per element, which is what multiplying by the number would have used for that segment's elements. */
  private perElement(segs: Segment[], value: (s: Segment) => number): number | tf.Tensor1D {
    const values = segs.map(value);
    if (values.every((x) => x === values[0])) return values[0];
    const key = values.join(',');
    if (this.factor?.key !== key) {
      this.factor?.tensor.dispose();
      const data = new Float32Array(segs.reduce((n, x) => n + x.size, 0));
      let o = 0;
      segs.forEach((x, i) => { data.fill(values[i], o, o + x.size); o += x.size; });
      this.factor = { key, tensor: tf.keep(tf.tensor1d(data)) };
    }
    return this.factor.tensor;
  }

  dispose(): void {
    for (const s of this.slots) s.dispose();
    this.factor?.tensor.dispose();
    this.factor = null;
  }
}
