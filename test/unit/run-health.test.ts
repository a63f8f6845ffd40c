// The run-health verdicts: healthy noise passes; non-finite, exploding, stuck and runaway runs are named.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.ts';
import { EXPLODE, RunHealth, STUCK_STEPS, type Observation } from '../../src/math/run-health.ts';

const healthy = (step: number, rng: Rng): Observation => ({
  step, criticLoss: -0.3 + 0.05 * rng.normal(), generatorLoss: 0.7 + 0.05 * rng.normal(), bound: 0.3 + 0.05 * rng.normal(), inBox: 0.97,
});

describe('run health', () => {
  it('a noisy but healthy run is never stopped, even with the same losses at two snapshots of one step', () => {
    const h = new RunHealth();
    const rng = new Rng(1);
    for (let step = 0; step < 5000; step += 25) {
      const o = healthy(step, rng);
      expect(h.check(o)).toBeNull();
      expect(h.check(o)).toBeNull(); // a paused run is snapshotted again at the same step
    }
  });

  it('waits for the first step: NaN losses before it are not a breakdown', () => {
    expect(new RunHealth().check({ step: 0, criticLoss: NaN, generatorLoss: NaN, bound: 0.01, inBox: 1 })).toBeNull();
  });

  it('names non-finite and exploding numbers', () => {
    expect(new RunHealth().check({ step: 10, criticLoss: Infinity, generatorLoss: 1, bound: 0, inBox: 1 })).toMatch(/critic loss is Infinity at step 10/);
    expect(new RunHealth().check({ step: 1200, criticLoss: 1270.79, generatorLoss: 6.9, bound: -1267, inBox: 1 })).toMatch(/critic loss reached 1270.8 at step 1200: the losses are exploding/);
    expect(new RunHealth().check({ step: 5, criticLoss: 0.1, generatorLoss: 0.1, bound: -(EXPLODE + 1), inBox: 1 })).toMatch(/bound F reached/);
    expect(new RunHealth().check({ step: 5, criticLoss: 0.1, generatorLoss: 0.1, bound: EXPLODE, inBox: 1 })).toBeNull();
  });

  it('sees a loss that crossed the limit between two snapshots (the peak), and a healthy peak passes', () => {
    const h = new RunHealth();
    const rng = new Rng(2);
    expect(h.check({ ...healthy(100, rng), lossPeak: 2.5 })).toBeNull();
    expect(h.check({ ...healthy(200, rng), lossPeak: NaN })).toBeNull(); // a paused run: no steps, no peak
    expect(h.check({ ...healthy(300, rng), lossPeak: 1.5 * EXPLODE })).toMatch(/between step 200 and step 300: the losses are exploding/);
  });

  it('stops losses that stay exactly the same for STUCK_STEPS steps, not fewer', () => {
    const h = new RunHealth();
    const stuck = (step: number): Observation => ({ step, criticLoss: 225, generatorLoss: -30, bound: -225, inBox: 0.5 });
    expect(h.check(stuck(1000))).toBeNull();
    expect(h.check(stuck(1000 + STUCK_STEPS - 1))).toBeNull();
    expect(h.check(stuck(1000 + STUCK_STEPS))).toMatch(/stayed exactly at 225 \(critic\) and -30 \(generator\) for 200 steps: the critic is saturated/);
    // one changed bit restarts the count
    const h2 = new RunHealth();
    h2.check(stuck(0));
    h2.check({ ...stuck(150), generatorLoss: -30.000001 });
    expect(h2.check(stuck(260))).toBeNull();
  });

  it('stops a generator whose samples all left the plotted box', () => {
    expect(new RunHealth().check({ step: 300, criticLoss: 0.5, generatorLoss: 0.5, bound: 0.1, inBox: 0 })).toMatch(/no generated sample is left inside the plot/);
  });
});
