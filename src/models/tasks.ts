// The worker tasks the models provide, by name: each loader fetches its module (and the tfjs code it needs) only when
// a widget first creates that task. The worker entry (src/worker.ts) hands this list to the runtime.
import type { TaskModule, TaskRegistry } from '../runtime/tasks.ts';

export const MODEL_TASKS: TaskRegistry = {
  fgan: async () => (await import('./fgan-task.ts')).fganTask as TaskModule,
  'fgan-fit': async () => (await import('./gaussian-fit-task.ts')).fitTask as TaskModule,
  rnn: async () => (await import('./rnn-task.ts')).rnnTask as TaskModule,
  widen: async () => (await import('./widen-task.ts')).widenTask as TaskModule,
};
