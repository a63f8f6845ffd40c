// "One loss, one backward pass" (https://kexue.fm/archives/6387). With sg(·) a stop-gradient,
//   L = L_D(ω; sg(G_θ(z))) + λ·( L_G(θ, ω) − L_G(sg(θ), ω) )
// gives each player its own gradient from a single backward pass: the bracket is 0 in value, its ω-gradient is 0
// (both terms see the same ω at the same inputs), and its θ-gradient is λ·∇θ L_G; the first term has no θ-gradient.
// L_G depends on θ only through the samples G_θ(z), so L_G(sg(θ), ω) = L_G(ω; sg(G_θ(z))): stopping the samples is
// stopping θ. TensorFlow.js has no stopGradient op; `stopGradient` is an identity whose custom gradient is zero.
// One SGD step on L is then exactly a simultaneous update of both players, λ scaling the generator's step.
// This is the identity written as autodiff sees it, and the oracle the lab's single-loss step is tested against
// (test/unit/fgan-single-loss.test.ts): the step itself (FganTrainer.combinedGradients) computes the same gradients
// with one forward and one hand-written backward pass, off the tape.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the union package does); training needs them
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/** Identity in value, zero gradient. Built with tf.customGrad so it can sit anywhere on the tape. */
const sg = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(args[0] as tf.Tensor), // a new tensor sharing x's data; returning x itself would alias the input
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as (x: tf.Tensor) => tf.Tensor;

export function stopGradient<T extends tf.Tensor>(x: T): T {
  return sg(x) as T;
}

/** A player's loss as a function of the generated samples (the critic's weights are read from its closure). */
export type SampleLoss = (fake: tf.Tensor2D) => tf.Scalar;

/** λ·(L_G(fake) − L_G(sg(fake))): zero in value, λ·∇θ L_G in θ, zero in ω. */
export function generatorBracket(generatorLoss: SampleLoss, fake: tf.Tensor2D, lambda: number): tf.Scalar {
  return tf.mul(lambda, tf.sub(generatorLoss(fake), generatorLoss(stopGradient(fake)))) as tf.Scalar;
}

export interface SingleLossParts {
  /** G_θ(z), computed inside the taped function so that θ is on the tape */
  fake: tf.Tensor2D;
  /** L_D(ω; samples): the critic's loss given (stopped) generated samples */
  criticLoss: SampleLoss;
  /** L_G(θ, ω) through the samples */
  generatorLoss: SampleLoss;
  /** scale on the generator's gradient (under SGD, the ratio of its step to the critic's at equal rates) */
  lambda: number;
}

/** L = L_D(ω; sg(G(z))) + λ(L_G(G(z)) − L_G(sg(G(z)))). Its value equals L_D. */
export function singleLoss(p: SingleLossParts): tf.Scalar {
  return tf.add(p.criticLoss(stopGradient(p.fake)), generatorBracket(p.generatorLoss, p.fake, p.lambda)) as tf.Scalar;
}

/** Gradients of the single loss for every listed variable from one backward pass, keyed by variable name, plus the
 * loss value (= L_D). `fake` is a thunk so that G runs on the tape. The caller owns the returned tensors. */
export function singleLossGradients(
  fake: () => tf.Tensor2D, criticLoss: SampleLoss, generatorLoss: SampleLoss, lambda: number, vars: tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.variableGrads(() => singleLoss({ fake: fake(), criticLoss, generatorLoss, lambda }), vars);
}
