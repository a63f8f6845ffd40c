// <fgan-fit>'s worker task and its settings: the attributes' defaults are the paper's mixture and the trainer's start;
// the mixture, start and objective reach the trainer; a run stops at its length (and step(n) from the scripting API
// may go past it); frames carry the run length and the (μ, σ) path; dispose frees every tensor.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAPER_MIXTURE } from '../../src/math/gaussian-fit.ts';
import { createFitTask, fitConfigFromSettings } from '../../src/models/gaussian-fit-task.ts';
import { resolveGaussianFitConfig } from '../../src/models/gaussian-fit-trainer.ts';
import { fganFitSchema, type FganFitSettings } from '../../src/settings/fgan-fit.ts';
import { defaults, parseSettings } from '../../src/settings/schema.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const base = (): FganFitSettings => defaults(fganFitSchema);

describe('settings → trainer config', () => {
  it("the defaults are the paper's mixture, KL, the saturating objective and G(z) = z", () => {
    const c = resolveGaussianFitConfig(fitConfigFromSettings(base()));
    for (const [i, comp] of c.mixture.components.entries()) {
      expect(comp.weight).toBeCloseTo(PAPER_MIXTURE.components[i].weight, 12);
      expect(comp.mean).toBe(PAPER_MIXTURE.components[i].mean);
      expect(comp.sd).toBe(PAPER_MIXTURE.components[i].sd);
    }
    expect(c.divergence).toBe('kl');
    expect(c.generatorObjective).toBe('saturating');
    expect(c.init).toEqual({ mu: 0, sigma: 1 });
  });

  it('attributes set the mixture (w₁ and 1 − w₁), the start and the objective', () => {
    const attrs: Record<string, string> = {
      weight: '0.5', mean1: '-2', sd1: '0.3', mean2: '1.5', sd2: '0.8', 'start-mu': '-1', 'start-sigma': '0.3',
      'generator-objective': 'alternative', divergence: 'reverse-kl',
    };
    const { values, errors } = parseSettings(fganFitSchema, (a) => attrs[a]);
    expect(errors).toEqual([]);
    const c = resolveGaussianFitConfig(fitConfigFromSettings(values));
    expect(c.mixture.components).toEqual([{ weight: 0.5, mean: -2, sd: 0.3 }, { weight: 0.5, mean: 1.5, sd: 0.8 }]);
    expect(c.init).toEqual({ mu: -1, sigma: 0.3 });
    expect(c.generatorObjective).toBe('alternative');
    expect(c.divergence).toBe('reverse-kl');
  });

  it('rejects a width outside its range with a message naming the attribute', () => {
    const { errors } = parseSettings(fganFitSchema, (a) => (a === 'sd1' ? '0' : undefined));
    expect(JSON.stringify(errors)).toMatch(/sd1/);
  });
});

describe('the task', () => {
  it('stops at the run length, goes on for step(n), and reports the path from the start', async () => {
    const before = tf.memory().numTensors;
    const task = createFitTask('cpu', fitConfigFromSettings({ ...base(), startMu: -0.5, startSigma: 0.7 }), 30);
    let reached = 0;
    for (let i = 0; i < 200 && reached < 30; i++) reached = await task.step({});
    expect(reached).toBe(30);
    expect(await task.step({})).toBe(30); // a finished run does not move
    const f = await task.snapshot();
    expect(f.step).toBe(30);
    expect(f.steps).toBe(30);
    expect(Array.from(f.path.slice(0, 2))).toEqual([-0.5, 0.7]);
    expect(f.path.length).toBe(2 * (1 + 30 / 5)); // the start, then every pathEvery = 5 steps
    expect(f.path[f.path.length - 2]).toBeCloseTo(f.mu, 5);
    let more = 30;
    while (more < 37) more = await task.step({ until: 37 });
    expect(more).toBe(37);
    task.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('honours the speed cap on its own clock: steps accrue at `speed` per second, at most 50 ms of them at once', async () => {
    let clock = 0;
    const task = createFitTask('cpu', fitConfigFromSettings(base()), 1500, () => clock);
    expect(await task.step({ speed: 100 })).toBe(0); // no time has passed: no token yet
    clock += 30;
    expect(await task.step({ speed: 100 })).toBe(3); // 30 ms at 100 steps/s
    clock += 1000;
    expect(await task.step({ speed: 100 })).toBe(8); // a long pause buys 5 steps (50 ms), not 100
    expect(await task.step({})).toBeGreaterThan(8); // no cap: as many as fit in a slice
    task.dispose();
  });
});
