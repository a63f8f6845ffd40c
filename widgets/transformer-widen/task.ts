// How <transformer-widen> drives its worker task (src/models/widen-task.ts) through the shared controller: the task
// gets the widening settings and the shipped weight file (or none, to retrain the small model from the seed). Only
// the input digits apply live (they change the page's float64 comparison, not the training); every other setting,
// ε included (the trained models use it), starts a new run. A frame whose losses are no longer finite stops the run.
import type { TransformerFile } from '../../src/math/transformer-file.ts';
import type { WidenFrame, WidenRunInput, WidenTaskConfig } from '../../src/models/widen-task.ts';
import type { WidenSettings } from '../../src/settings/transformer-widen.ts';
import type { TaskSpec } from '../core/task-controller.svelte.ts';

export function widenTaskSpec(file: TransformerFile): TaskSpec<WidenSettings, WidenFrame, WidenRunInput> {
  return {
    task: 'widen',
    config: (s): WidenTaskConfig => ({
      method: s.method, factor: s.factor, symmetry: s.symmetry, eps: s.eps, seed: s.seed,
      file: s.smallModel === 'trained' ? file : null,
    }),
    runInput: () => ({}),
    stepInput: (_, until) => ({ until }),
    live: new Set<keyof WidenSettings>(['input', 'autoplay']),
    backend: (s) => s.backend,
    autoplay: (s) => s.autoplay,
    stepOf: (f) => f.step,
    brokenReason: (f) => (f.status === 'diverged' ? 'a training loss is no longer a finite number' : null),
    frameCost: (f) => f.frameMs,
  };
}
