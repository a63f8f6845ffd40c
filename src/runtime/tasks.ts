// The worker's task contract and registry. A task is a module that the worker loads lazily by name and that owns
// some tfjs state (e.g. a GAN trainer). Invariants for task authors:
//  - step() does one unit of work (e.g. k optimiser steps) with every tensor op inside tf.tidy; it may be async,
//    but never awaits inside a tidy. It is called by 'task.step' requests or by the worker's run loop.
//  - snapshot() returns the latest state for drawing, read with `await t.data()`, never a blocking read. It is copied
//    to the main thread (structured clone).
//  - dispose() releases every tensor and variable the task made; tf.memory().numTensors returns to its baseline.
// Tasks are registered a layer above: src/models/tasks.ts lists them and the worker entry (src/worker.ts) hands that
// list to serveWorker, so the runtime imports no model. The built-in counter task is always there (tests use it).
import type * as TF from '@tensorflow/tfjs-core';
import type { BackendName } from './protocol.ts';
import { Rng } from '../math/rng.ts';

export interface TaskContext {
  tf: typeof TF;
  backend: BackendName;
  /** A seeded RNG; the task derives its own streams with rng.stream(name). */
  rng: Rng;
}

export interface TaskInstance<Input = unknown, Output = unknown, Snapshot = unknown> {
  step(input: Input): Output | Promise<Output>;
  snapshot(): Snapshot | Promise<Snapshot>;
  dispose(): void;
}

export interface TaskModule<Config = unknown> {
  create(ctx: TaskContext, config: Config): TaskInstance | Promise<TaskInstance>;
}

export type TaskRegistry = Record<string, () => Promise<TaskModule>>;

/** A tiny built-in task, used by tests and as a template: a running sum of a random vector, kept on the backend. */
const counterTask: TaskModule<{ size?: number; seed?: number | string } | undefined> = {
  create({ tf }, config) {
    const size = config?.size ?? 8;
    const rng = new Rng(config?.seed ?? 'counter');
    let total: TF.Tensor = tf.zeros([size]);
    let steps = 0;
    return {
      step(input) {
        const scale = typeof input === 'number' ? input : 1;
        const next = tf.tidy(() => tf.add(total, tf.mul(tf.tensor1d(rng.fillUniform(new Float32Array(size))), scale)));
        total.dispose();
        total = next;
        return ++steps;
      },
      async snapshot() {
        return { steps, values: (await total.data()) as Float32Array };
      },
      dispose() {
        total.dispose();
      },
    };
  },
};

/** Tasks every worker has, whatever its entry registers. */
export const BUILTIN_TASKS: TaskRegistry = {
  counter: async () => counterTask as TaskModule,
};
