// How <fgan-fit> drives its worker task (src/models/gaussian-fit-task.ts) through the shared controller. Every
// setting but the speed cap and autoplay starts a new run (the mixture, the divergence and the seed all change the game); a run stops
// at its length, and play() after that is a new run from the start (the widget's ▶ calls reset first).
import type { FitFrame, FitRunInput } from '../../src/models/gaussian-fit-task.ts';
import { fitSpeed, type FganFitSettings } from '../../src/settings/fgan-fit.ts';
import type { TaskSpec } from '../core/task-controller.svelte.ts';

export const fitTaskSpec: TaskSpec<FganFitSettings, FitFrame, FitRunInput> = {
  task: 'fgan-fit',
  config: (s) => s,
  runInput: (s) => ({ speed: fitSpeed(s) }),
  stepInput: (_, until) => ({ until, speed: Infinity }),
  live: new Set<keyof FganFitSettings>(['speed', 'autoplay', 'theme']),
  backend: (s) => s.backend,
  autoplay: (s) => s.autoplay,
  stepOf: (f) => f.step,
  brokenReason: (f) => (f.status === 'diverged' ? (f.reason ?? 'μ or σ is no longer a finite number') : null),
  frameCost: (f) => f.frameMs,
  finished: (f) => f.step >= f.steps,
};
