// Tells a training run that has broken down from one that is merely slow, from the numbers a snapshot reads back:
// - non-finite: a loss, the bound or the weights left the floating-point range;
// - exploding: a loss or the bound grew past EXPLODE (a healthy toy GAN's losses stay within a few tens; an
//   SGD step of 1 on KL's critic sends them to thousands while every number is still finite);
// - stuck: both losses unchanged to the last bit across STUCK_STEPS steps. Fresh batches every step make a moving
//   run's losses differ in their low bits, so exact repetition means the critic's output sits on the flat edge
//   of its activation (or its soft clip) for every sample, and no gradient flows to either player;
// - lost: the generator's samples are finite but none falls in the plotted box, so Q has no mass where P is and
//   the divergence estimate is infinite.
// Pure: the trainer feeds it one observation per snapshot; the first reason it returns stays the run's verdict.

export const EXPLODE = 1e3;
export const STUCK_STEPS = 200;

export interface Observation {
  step: number;
  criticLoss: number;
  generatorLoss: number;
  bound: number;
  /** the largest |loss| of either player over every step since the previous observation (NaN: not tracked) */
  lossPeak?: number;
  /** share of the generated samples inside the target's box (1 when all are) */
  inBox: number;
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 ? x.toExponential(2) : String(Number(x.toPrecision(5))));

export class RunHealth {
  /** the step from which both losses have kept exactly their current values */
  #sameSince: { step: number; critic: number; generator: number } | null = null;
  /** the step of the previous observation */
  #lastStep = 0;

  /** Why the run has broken down at this observation, or null while it is healthy. Losses are NaN before the
   * first step, and then nothing is judged. */
  check(o: Observation): string | null {
    if (Number.isNaN(o.criticLoss) && Number.isNaN(o.generatorLoss)) return null;
    for (const [name, x] of [['critic loss', o.criticLoss], ['generator loss', o.generatorLoss], ['bound F', o.bound]] as const) {
      if (!Number.isFinite(x)) return `the ${name} is ${x} at step ${o.step}: the numbers left the floating-point range`;
      if (Math.abs(x) > EXPLODE) return `the ${name} reached ${fmt(x)} at step ${o.step}: the losses are exploding`;
    }
    const peak = o.lossPeak ?? Number.NaN;
    if (peak > EXPLODE) return `a loss reached ${fmt(peak)} between step ${this.#lastStep} and step ${o.step}: the losses are exploding`;
    this.#lastStep = o.step;
    if (o.inBox === 0) return `no generated sample is left inside the plot at step ${o.step}: the generator ran away from the data`;
    const s = this.#sameSince;
    if (s && s.critic === o.criticLoss && s.generator === o.generatorLoss) {
      if (o.step - s.step >= STUCK_STEPS) {
        return `both losses have stayed exactly at ${fmt(o.criticLoss)} (critic) and ${fmt(o.generatorLoss)} (generator) `
          + `for ${o.step - s.step} steps: the critic is saturated, so no gradient reaches either player`;
      }
    } else {
      this.#sameSince = { step: o.step, critic: o.criticLoss, generator: o.generatorLoss };
    }
    return null;
  }
}
