// The worker task behind <fgan-fit>: trains the 1-D f-GAN of gaussian-fit-trainer.ts for the run length the reader
// set, then stops (the learning-rate decay and the averaging of (μ, σ) are tuned for a finished run, so "the
// result" is the state at the last step). Each step() call trains for a slice of time; snapshot() is one read-back
// per drawn frame, with the critic sampled over the figure's x window.
import { memory } from '@tensorflow/tfjs-core';
import { fitWindow } from '../math/gaussian-fit.ts';
import type { TaskInstance, TaskModule } from '../runtime/tasks.ts';
import { SpeedCap } from './speed-cap.ts';
import { mixtureComponents, type FganFitSettings } from '../settings/fgan-fit.ts';
import { GaussianFitTrainer, resolveGaussianFitConfig, type GaussianFitConfigInput, type GaussianFitSnapshot } from './gaussian-fit-trainer.ts';

export interface FitRunInput {
  /** at most this many generator steps per second; Infinity for as fast as the backend goes */
  speed?: number;
  /** train until the step count reaches this (step(n) from the scripting API may go past the run length); default:
   * the run length */
  until?: number;
}

export interface FitFrame extends GaussianFitSnapshot {
  /** the run length: training stops here unless asked for more */
  steps: number;
  stepsPerSecond: number;
  backend: string;
  frameMs: number;
  workerTensors: number;
}

const SLICE_MS = 12;
const RATE_WINDOW_MS = 1000;

export function fitConfigFromSettings(s: FganFitSettings): GaussianFitConfigInput {
  return {
    divergence: s.divergence, alpha: s.alpha, pi: s.pi, mixture: mixtureComponents(s), seed: s.seed,
    generatorObjective: s.generatorObjective, init: { mu: s.startMu, sigma: s.startSigma },
  };
}

export function createFitTask(
  backend: string, config: GaussianFitConfigInput, steps: number, now: () => number = () => performance.now(),
): TaskInstance<FitRunInput, number, FitFrame> {
  const trainer = new GaussianFitTrainer(config);
  const c = resolveGaussianFitConfig(config);
  const range = fitWindow(c.mixture, c.init).x;
  const history: [number, number][] = [[now(), 0]];
  const cap = new SpeedCap(now);
  return {
    async step(input) {
      const until = input?.until ?? steps;
      const speed = input?.speed ?? Infinity;
      const start = now();
      let done = 0;
      while (trainer.stepCount < until && now() - start < SLICE_MS && cap.take(speed)) {
        trainer.step(1);
        done++;
      }
      const t = now();
      history.push([t, trainer.stepCount]);
      while (history.length > 2 && t - history[0][0] > RATE_WINDOW_MS) history.shift();
      // a finished or capped run still answers frame requests: yield to the worker's message loop instead of spinning
      if (done === 0) await new Promise((r) => setTimeout(r, SLICE_MS));
      return trainer.stepCount;
    },
    async snapshot() {
      const began = now();
      // The finished run's F goes into the table beside D_f: on 2048 samples its typical value can exceed D_f
      // (reverse KL: 0.30 against 0.25; g_f(V) under P has a long tail that small batches mostly miss), so the
      // final frames take 65536, as the CLI does. Frames during training stay cheap.
      const snap = await trainer.snapshot({ range, ...(trainer.stepCount >= steps ? { boundBatch: 1 << 16 } : {}) });
      const [t0, s0] = history[0];
      const [t1, s1] = history[history.length - 1];
      return {
        ...snap, steps, stepsPerSecond: t1 > t0 ? ((s1 - s0) * 1000) / (t1 - t0) : 0, backend,
        frameMs: now() - began, workerTensors: memory().numTensors,
      };
    },
    dispose: () => trainer.dispose(),
  };
}

export const fitTask: TaskModule<FganFitSettings> = {
  create: ({ backend }, settings) => createFitTask(backend, fitConfigFromSettings(settings), settings.steps),
};
