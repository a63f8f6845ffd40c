// The worker's task contract and registry. A task is a module that the worker loads lazily by name and that owns
// some tfjs state (e.g. a GAN trainer). Invariants for task authors:
//  - step() does one unit of work (e.g. k optimiser steps) with every tensor op inside tf.tidy; it may be async,
//    but never awaits inside a tidy. It is called by 'task.step' requests or by the worker's run loop.
//  - snapshot() returns the latest state for drawing, read with `await t.data()`, never a blocking read. It is copied
//    to the main thread (structured clone). To move big buffers instead, return withTransfer(value, buffers) — only
//    for buffers the task owns: on cpu/webgl, t.data() may hand back the tensor's own storage, so transfer a copy.
//  - dispose() releases every tensor and variable the task made; tf.memory().numTensors returns to its baseline.
// To add a task: write a module exporting `create` (see TaskModule) and add one line to TASKS below.
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

const TRANSFER = Symbol('transfer');
export interface Transferring<T> {
  [TRANSFER]: true;
  value: T;
  transfer: Transferable[];
}

/** Mark a step/snapshot result whose listed buffers should be transferred, not copied. */
export function withTransfer<T>(value: T, transfer: Transferable[]): Transferring<T> {
  return { [TRANSFER]: true, value, transfer };
}

export function unwrapTransfer(x: unknown): { value: unknown; transfer: Transferable[] } {
  if (x && typeof x === 'object' && TRANSFER in x) {
    const t = x as Transferring<unknown>;
    return { value: t.value, transfer: t.transfer };
  }
  return { value: x, transfer: [] };
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

/** Name → lazy loader: each task's module (and the tfjs code it needs) is fetched when first created. */
export const TASKS: TaskRegistry = {
  counter: async () => counterTask as TaskModule,
  fgan: async () => (await import('../models/fgan-task.ts')).fganTask as TaskModule,
};
