// Optimisers that update all of one network's variables as a single flat vector. For networks this small the cost
// of a training step is the number of kernel launches, not arithmetic: tf.train.adam runs about 14 kernels per
// variable (84 for a 2-hidden-layer MLP), this runs about 30 for the whole network. Same update rules as
// tf.train.adam / rmsprop / sgd (bias-corrected Adam; RMSprop without momentum, not centred), so results agree
// with them to float rounding. Invariant: every tensor it makes lives inside the caller's tidy or in its moment
// variables, which dispose() frees.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from './fgan-config.ts';

/** Adam's β1 = 0.5: the usual GAN setting (Radford et al. 2015); 0.9 carries stale momentum around the min-max cycle. */
export const ADAM = { beta1: 0.5, beta2: 0.999, epsilon: 1e-7 } as const;
export const RMSPROP = { decay: 0.9, epsilon: 1e-7 } as const;

export class FlatOptimizer {
  private readonly sizes: number[];
  private readonly total: number;
  private readonly slots: tf.Variable[];
  private t = 0;

  constructor(private config: OptimizerConfig, private readonly vars: tf.Variable[]) {
    this.sizes = vars.map((v) => v.size);
    this.total = this.sizes.reduce((a, b) => a + b, 0);
    const slotCount = config.kind === 'adam' ? 2 : config.kind === 'rmsprop' ? 1 : 0;
    // tf.variable keeps its initial tensor alive beside itself: dispose the zeros once the variable holds them.
    this.slots = Array.from({ length: slotCount }, () => {
      const zeros = tf.zeros([this.total]);
      const slot = tf.variable(zeros, false);
      zeros.dispose();
      return slot;
    });
  }

  /** A new step size for the next updates; the moment estimates carry on (as when a schedule changes lr). */
  setLearningRate(lr: number): void {
    this.config = { ...this.config, lr };
  }

  /** One update from gradients keyed by variable name (as tf.variableGrads returns them). Call inside tf.tidy. */
  apply(grads: tf.NamedTensorMap): void {
    const { kind, lr } = this.config;
    if (kind === 'sgd') {
      for (const v of this.vars) v.assign(tf.sub(v, tf.mul(grads[v.name], lr)));
      return;
    }
    const g = tf.concat(this.vars.map((v) => tf.reshape(grads[v.name], [-1])));
    let step: tf.Tensor;
    if (kind === 'adam') {
      this.t++;
      const [m, s] = this.slots;
      const m1 = tf.add(tf.mul(m, ADAM.beta1), tf.mul(g, 1 - ADAM.beta1));
      const s1 = tf.add(tf.mul(s, ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2));
      m.assign(m1);
      s.assign(s1);
      const c1 = 1 - ADAM.beta1 ** this.t;
      const c2 = 1 - ADAM.beta2 ** this.t;
      // lr · m̂ / (√ŝ + ε) with m̂ = m/c1, ŝ = s/c2, arranged as one division and one scale
      step = tf.mul(tf.div(m1, tf.add(tf.sqrt(tf.div(s1, c2)), ADAM.epsilon)), lr / c1);
    } else {
      const [ms] = this.slots;
      const ms1 = tf.add(tf.mul(ms, RMSPROP.decay), tf.mul(tf.square(g), 1 - RMSPROP.decay));
      ms.assign(ms1);
      step = tf.mul(tf.div(g, tf.sqrt(tf.add(ms1, RMSPROP.epsilon))), lr);
    }
    const parts = tf.split(step, this.sizes);
    this.vars.forEach((v, i) => v.assign(tf.sub(v, tf.reshape(parts[i], v.shape))));
  }

  dispose(): void {
    for (const s of this.slots) s.dispose();
  }
}
