// The worker task behind "keep training both" of <transformer-widen>: the small model (the shipped weights, or
// retrained here from the seed), its widening, and two wide models trained side by side on the same batches: the
// widened one, whose loss starts where the small model's ended, and one of the same shape trained from scratch (the
// reason to widen at all). Every frame also carries the copy spread of the widened model: exactly 0 forever when its
// copies are identical (they get identical gradients, https://kexue.fm/archives/8444), growing after `split`.
// Steps: one counter for the run, small-model steps first (retrain only), then wide steps; curves are plotted
// against "steps after widening", so the small model's curve sits at negative x and the widened one continues it.
// tfjs hygiene: losses stay tensors until the next snapshot, which stacks and reads them with one `await data()`;
// the copy spread reads the widened model's weights at most every SPREAD_EVERY_MS (from the step loop or a frame).
import * as tf from '@tensorflow/tfjs-core';
import { makeTask, type DigitBatch, type DigitTask } from '../math/digit-task.ts';
import { DEFAULT_TRANSFORMER, castWeights, initTransformer, type TransformerWeights } from '../math/transformer.ts';
import { decodeTransformer, type TransformerFile } from '../math/transformer-file.ts';
import type { SymmetryMode, WidenMethod, WidthMap } from '../math/widen-map.ts';
import { copySpread, widen } from '../math/widen.ts';
import { withEps } from '../math/widen-report.ts';
import type { TaskInstance, TaskModule } from '../runtime/tasks.ts';
import { TransformerModel } from './transformer.ts';
import { WIDEN_TRAINING } from './widen-training.ts';

export interface WidenTaskConfig {
  method: WidenMethod;
  factor: number;
  symmetry: SymmetryMode;
  eps: number;
  seed: number;
  /** the shipped small model, or null: train it here from the seed */
  file: TransformerFile | null;
  /** retrain only: Adam steps of the small model (default WIDEN_TRAINING.smallSteps; tests use a few) */
  smallSteps?: number;
}

export interface WidenRunInput {
  /** stop when the run's step counter reaches this (step(n) of the scripting API); undefined: run on */
  until?: number;
}

export type Curve = [number, number][];

export interface WidenFrame {
  /** steps of this run: small-model steps (retrain only), then wide steps */
  step: number;
  phase: 'small' | 'wide';
  /** wide steps done (x of the wide curves) */
  wideStep: number;
  small: Curve;
  widened: Curve;
  scratch: Curve;
  spread: Curve;
  /** held-out loss of the small model when it was widened, and of the widened model at that moment (NaN before) */
  smallFinalLoss: number;
  widenedStartLoss: number;
  /** latest copy spread of the widened model (NaN before widening) */
  copySpread: number;
  /** the small model's weights once retrained here (for the page's float64 comparison); null with shipped weights */
  retrained: TransformerWeights<Float32Array> | null;
  status: 'ok' | 'diverged';
  stepsPerSecond: number;
  backend: string;
  frameMs: number;
  workerTensors: number;
}

const SLICE_MS = 16;
const SPREAD_EVERY_MS = 150;
const CURVE_MAX = 600;
const HELD_OUT = 256;

/** Halves a curve by averaging neighbours (keeps the first point: the widened model's start must stay visible). */
function thin(c: Curve): Curve {
  if (c.length <= CURVE_MAX) return c;
  const out: Curve = [c[0]];
  for (let i = 1; i + 1 < c.length; i += 2) out.push([(c[i][0] + c[i + 1][0]) / 2, (c[i][1] + c[i + 1][1]) / 2]);
  if (c.length % 2 === 0) out.push(c[c.length - 1]);
  return out;
}

export async function createWidenTask(backend: string, config: WidenTaskConfig): Promise<TaskInstance<WidenRunInput, number, WidenFrame>> {
  const T = WIDEN_TRAINING;
  const batches: DigitTask = makeTask(T.task, config.seed);
  const heldOut: DigitBatch = makeTask(T.task, 'held-out').batch(HELD_OUT);
  const shipped = config.file ? withEps(decodeTransformer(config.file), config.eps) : null;
  const smallCurve: Curve = config.file ? config.file.training.loss.map(([s, l]) => [s - config.file!.training.steps + 1, l]) : [];
  const smallSteps = config.file ? 0 : (config.smallSteps ?? T.smallSteps);
  let small: TransformerModel | null = shipped
    ? null : new TransformerModel(withEps(initTransformer(DEFAULT_TRANSFORMER, { seed: config.seed }), config.eps), { learningRate: T.learningRate });
  let widened: TransformerModel | null = null;
  let scratch: TransformerModel | null = null;
  let map: WidthMap | null = null;
  let retrained: TransformerWeights<Float32Array> | null = null;
  let step = 0;
  let smallFinalLoss = Number.NaN;
  let widenedStartLoss = Number.NaN;
  let spread = Number.NaN;
  let spreadAt = -Infinity;
  let status: WidenFrame['status'] = 'ok';
  const curves = { small: smallCurve, widened: [] as Curve, scratch: [] as Curve, spread: [] as Curve };
  // loss tensors not read yet: [curve, x, loss]
  let pending: ['small' | 'widened' | 'scratch', number, tf.Scalar][] = [];
  const rate: [number, number][] = [[performance.now(), 0]];

  async function widenNow(weights: TransformerWeights): Promise<void> {
    const wide = widen(castWeights(weights, Float64Array), { method: config.method, factor: config.factor, symmetry: config.symmetry, seed: config.seed });
    map = wide.map;
    widened = new TransformerModel(wide.weights, { learningRate: T.learningRate, warmupSteps: T.warmupSteps });
    const scratchInit = withEps(initTransformer(map.wideConfig, { seed: `scratch:${config.seed}` }), config.eps * map.epsFactor);
    scratch = new TransformerModel(scratchInit, { learningRate: T.learningRate, warmupSteps: T.warmupSteps });
    const probe = new TransformerModel(weights);
    try {
      smallFinalLoss = (await probe.evaluate(heldOut)).loss;
    } finally {
      probe.dispose();
    }
    widenedStartLoss = (await widened.evaluate(heldOut)).loss;
    spread = copySpread(await widened.readWeights(), map).max;
    curves.spread.push([0, spread]);
  }

  if (shipped) await widenNow(shipped);

  /** The widened model's copy spread now (one read-back of its weights), added to the curve once per wide step. */
  async function sampleSpread(): Promise<void> {
    const wideStep = step - smallSteps;
    if (!widened || !map || wideStep <= 0 || curves.spread.at(-1)?.[0] === wideStep) return;
    spread = copySpread(await (widened as TransformerModel).readWeights(), map).max;
    spreadAt = performance.now();
    curves.spread.push([wideStep, spread]);
    curves.spread = thin(curves.spread);
  }

  async function finishSmall(): Promise<void> {
    const weights = await small!.readWeights();
    small!.dispose();
    small = null;
    retrained = weights;
    await widenNow(weights);
  }

  return {
    async step(input) {
      const until = input?.until ?? Infinity;
      const start = performance.now();
      while (step < until && status === 'ok' && performance.now() - start < SLICE_MS) {
        const batch = batches.batch(T.batch);
        if (small) {
          pending.push(['small', step - smallSteps + 1, small.trainStep(batch)]);
          step++;
          if (step === smallSteps) await finishSmall();
          continue;
        }
        const t = step - smallSteps;
        pending.push(['widened', t, widened!.trainStep(batch)], ['scratch', t, scratch!.trainStep(batch)]);
        step++;
        // sampled here too (not only per frame), so that step(n) without frames still draws the spread's growth
        if (performance.now() - spreadAt > SPREAD_EVERY_MS) await sampleSpread();
      }
      const now = performance.now();
      rate.push([now, step]);
      while (rate.length > 2 && now - rate[0][0] > 1000) rate.shift();
      // yield to the worker's message loop even when `until` is reached at once
      if (step >= until) await new Promise((r) => setTimeout(r, 0));
      return step;
    },
    async snapshot() {
      const began = performance.now();
      const taken = pending;
      pending = [];
      if (taken.length) {
        const stacked = tf.tidy(() => tf.stack(taken.map(([, , l]) => l)));
        const values = await stacked.data();
        stacked.dispose();
        taken.forEach(([curve, x, l], i) => {
          l.dispose();
          if (!Number.isFinite(values[i])) status = 'diverged';
          curves[curve].push([x, values[i]]);
          curves[curve] = thin(curves[curve]);
        });
      }
      const wideStep = Math.max(0, step - smallSteps);
      if (performance.now() - spreadAt > SPREAD_EVERY_MS) await sampleSpread();
      const [t0, s0] = rate[0];
      const [t1, s1] = rate[rate.length - 1];
      return {
        step, phase: small ? 'small' : 'wide', wideStep, small: [...curves.small], widened: [...curves.widened],
        scratch: [...curves.scratch], spread: [...curves.spread], smallFinalLoss, widenedStartLoss, copySpread: spread,
        retrained, status, stepsPerSecond: t1 > t0 ? ((s1 - s0) * 1000) / (t1 - t0) : 0, backend,
        frameMs: performance.now() - began, workerTensors: tf.memory().numTensors,
      };
    },
    dispose() {
      for (const [, , l] of pending) l.dispose();
      pending = [];
      small?.dispose();
      widened?.dispose();
      scratch?.dispose();
    },
  };
}

export const widenTask: TaskModule<WidenTaskConfig> = {
  create: ({ backend }, config) => createWidenTask(backend, config),
};
