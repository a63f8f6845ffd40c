// How <rnn-gradients> drives its worker task (src/models/rnn-task.ts) through the shared controller. Only the training
// view has a run: in the gradient view the config is null and no worker is started. Every setting but the view and
// autoplay rebuilds the run (they all change the model, the data or the optimiser).
import type { RnnFrame, RnnRunInput } from '../../src/models/rnn-task.ts';
import type { RnnSettings } from '../../src/settings/rnn-gradients.ts';
import type { TaskSpec } from '../core/task-controller.svelte.ts';

export const rnnTaskSpec: TaskSpec<RnnSettings, RnnFrame, RnnRunInput> = {
  task: 'rnn',
  config: (s) => (s.mode === 'train' ? s : null),
  runInput: () => ({}),
  stepInput: (_, until) => ({ until }),
  live: new Set<keyof RnnSettings>(['autoplay']),
  backend: (s) => s.backend,
  autoplay: (s) => s.autoplay,
  stepOf: (f) => f.step,
  brokenReason: (f) => (f.status === 'diverged' ? (f.reason ?? 'the loss is no longer a finite number') : null),
  frameCost: (f) => f.frameMs,
};
