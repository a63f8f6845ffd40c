// How <fgan-lab> drives its worker task (src/models/fgan-task.ts) through the shared controller: the task is created
// from the lab's settings; the speed cap, learning rates, critic steps, λ, objective and clipping reach the running
// run with every step call; a frame that says the run broke down stops it.
import type { FganFrame, FganRunInput } from '../../src/models/fgan-task.ts';
import { LIVE_SETTINGS, liveSettings, SPEED_MAX, type FganSettings } from '../../src/settings/fgan-lab.ts';
import { parsePoints } from '../../src/settings/schema.ts';
import type { TaskSpec } from '../core/task-controller.svelte.ts';

const speedOf = (s: FganSettings) => (s.speed >= SPEED_MAX ? Infinity : s.speed);

export const fganTaskSpec: TaskSpec<FganSettings, FganFrame, FganRunInput> = {
  task: 'fgan',
  // a drawn target needs at least one point before anything can train
  config: (s) => (s.target === 'drawn' && !parsePoints(s.points)?.length ? null : s),
  runInput: (s) => ({ speed: speedOf(s), live: liveSettings(s) }),
  stepInput: (s, until) => ({ speed: Infinity, until, live: liveSettings(s) }),
  live: new Set<keyof FganSettings>(['speed', 'autoplay', ...LIVE_SETTINGS]),
  backend: (s) => s.backend,
  autoplay: (s) => s.autoplay,
  stepOf: (f) => f.step,
  brokenReason: (f) => (f.status === 'diverged' ? (f.reason ?? 'the losses are no longer finite numbers') : null),
  frameCost: (f) => f.frameMs,
};
