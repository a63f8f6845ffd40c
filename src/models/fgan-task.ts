// The worker task that trains an f-GAN for <fgan-lab>. The worker's run loop calls step() back to back; each call
// trains for a slice of time (so the worker still answers frame requests between slices) and honours a cap on
// generator steps per second. snapshot() is called once per drawn frame: one read-back of everything the views
// need. The true divergence (a KDE on a grid, the costly part) is refreshed a few times a second, not every frame.
import { memory } from '@tensorflow/tfjs-core';
import type { TaskInstance, TaskModule } from '../runtime/tasks.ts';
import type { FganSettings, LiveSettings } from '../settings/fgan-lab.ts';
import { SpeedCap } from './speed-cap.ts';
import { fganConfigFromSettings, FganTrainer, type FganConfigInput, type FganSnapshot } from './fgan.ts';

export interface FganRunInput {
  /** at most this many generator steps per second; Infinity for as fast as the backend goes */
  speed: number;
  /** learning rates, critic steps, λ, objective, clipping: applied to the running run when they change */
  live?: LiveSettings;
  /** stop after this many more steps (for step(n) from the scripting API); undefined: run on */
  until?: number;
}

export interface FganFrame extends FganSnapshot {
  stepsPerSecond: number;
  backend: string;
  /** worker time spent preparing this frame (the read-back the views need), for the benchmark's breakdown */
  frameMs: number;
  /** tensors alive in the worker, every figure sharing it included: flat while training, down when one leaves */
  workerTensors: number;
}

/** Length of one training slice: long enough to amortise the loop's overhead, short enough for 60 frames/s. */
const SLICE_MS = 12;
const TRUE_DIVERGENCE_EVERY_MS = 250;
const RATE_WINDOW_MS = 1000;

export function createFganTask(
  backend: string,
  config: FganConfigInput,
  now: () => number = () => performance.now(),
): TaskInstance<FganRunInput, number, FganFrame> {
  const trainer = new FganTrainer(config);
  // (time, step) pairs over the last second, for the steps-per-second readout
  const history: [number, number][] = [[now(), 0]];
  let lastTrueDivergence = Number.NaN;
  let lastTrueDivergenceAt = -Infinity;
  const cap = new SpeedCap(now);

  const record = () => {
    const t = now();
    history.push([t, trainer.stepCount]);
    while (history.length > 2 && t - history[0][0] > RATE_WINDOW_MS) history.shift();
  };

  let live = '';
  return {
    async step(input) {
      if (input?.live) {
        const key = JSON.stringify(input.live);
        if (key !== live) {
          trainer.adjust(input.live);
          live = key;
        }
      }
      const speed = input?.speed ?? Infinity;
      const until = input?.until ?? Infinity;
      const start = now();
      let done = 0;
      while (trainer.stepCount < until && now() - start < SLICE_MS) {
        if (!cap.take(speed)) break;
        trainer.step(1);
        done++;
      }
      record();
      if (done === 0) await new Promise((r) => setTimeout(r, Math.min(SLICE_MS, 1000 / Math.max(1, speed))));
      return trainer.stepCount;
    },
    async snapshot() {
      const began = now();
      const due = now() - lastTrueDivergenceAt > TRUE_DIVERGENCE_EVERY_MS;
      const snap = await trainer.snapshot({ trueDivergence: due });
      if (due) {
        lastTrueDivergence = snap.trueDivergence;
        lastTrueDivergenceAt = now();
      }
      const [t0, s0] = history[0];
      const [t1, s1] = history[history.length - 1];
      const stepsPerSecond = t1 > t0 ? ((s1 - s0) * 1000) / (t1 - t0) : 0;
      return { ...snap, trueDivergence: lastTrueDivergence, stepsPerSecond, backend, frameMs: now() - began, workerTensors: memory().numTensors };
    },
    dispose: () => trainer.dispose(),
  };
}

/** Created from <fgan-lab>'s settings, mapped to the trainer's config here in the worker. */
export const fganTask: TaskModule<FganSettings> = {
  create: ({ backend }, settings) => createFganTask(backend, fganConfigFromSettings(settings)),
};
