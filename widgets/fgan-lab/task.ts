// How <fgan-lab> drives its worker task (src/models/fgan-task.ts) through the shared controller: the task is created
// from the lab's settings, the speed cap applies to the running run, and a frame that says the run diverged stops it.
import type { FganFrame, FganRunInput } from '../../src/models/fgan-task.ts';
import { SPEED_MAX, type FganSettings } from '../../src/settings/fgan-lab.ts';
import { parsePoints } from '../../src/settings/schema.ts';
import type { TaskSpec } from '../core/task-controller.svelte.ts';

const speedOf = (s: FganSettings) => (s.speed >= SPEED_MAX ? Infinity : s.speed);

export const fganTaskSpec: TaskSpec<FganSettings, FganFrame, FganRunInput> = {
  task: 'fgan',
  // a drawn target needs at least one point before anything can train
  config: (s) => (s.target === 'drawn' && !parsePoints(s.points)?.length ? null : s),
  runInput: (s) => ({ speed: speedOf(s) }),
  stepInput: (_, until) => ({ speed: Infinity, until }),
  live: new Set<keyof FganSettings>(['speed', 'autoplay']),
  backend: (s) => s.backend,
  autoplay: (s) => s.autoplay,
  stepOf: (f) => f.step,
  brokenReason: (f) => (f.status === 'diverged' ? (f.reason ?? 'the losses are no longer finite numbers') : null),
  frameCost: (f) => f.frameMs,
};
