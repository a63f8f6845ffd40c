// State of one <fgan-lab>: the settings (one per attribute), the latest frame from the worker, the history of the
// curves, and the status the reader sees. Pure reactive data; the controller talks to the worker and writes here.
import { getDivergence } from '../../src/math/fdiv.ts';
import { createRng } from '../../src/math/rng.ts';
import { getTarget, type Target2D } from '../../src/math/targets.ts';
import type { DivergenceId } from '../../src/math/types.ts';
import type { FganFrame } from '../../src/models/fgan-task.ts';
import type { FganSettings } from '../../src/settings/fgan-lab.ts';
import { parsePoints } from '../../src/settings/schema.ts';
import { TaskState, type TaskStatus } from '../core/task-state.svelte.ts';

export type { FganSettings };

export interface HistoryPoint {
  step: number;
  criticLoss: number;
  generatorLoss: number;
  bound: number;
  trueDivergence: number;
}

export interface FganMetrics {
  step: number;
  divergence: DivergenceId;
  criticLoss: number;
  generatorLoss: number;
  bound: number;
  trueDivergence: number;
  stepsPerSecond: number;
  backend: string | null;
  /** tensors alive in the worker this lab runs on (shared with other figures on the same backend) */
  workerTensors: number;
  status: TaskStatus;
}

/** What the lab's views can ask of its controller (mount.svelte.ts wires these to it). */
export interface LabActions {
  onplay: () => void;
  onpause: () => void;
  onstep: () => void;
  onreset: () => void;
  onsetting: <K extends keyof FganSettings>(key: K, value: FganSettings[K]) => void;
  ondraw: (points: [number, number][]) => void;
}

/** Curves keep at most this many points; older ones are thinned two to one. */
const HISTORY_MAX = 1200;
const REAL_SAMPLES = 512;
const CHART_REFRESH_MS = 160;

export class FganLabState extends TaskState<FganSettings, FganFrame> {
  history = $state.raw<HistoryPoint[]>([]);
  layers = $state({ field: true, real: true, fake: true, arrows: true, grid: false });

  divergence = $derived(getDivergence(this.settings.divergence, this.settings));
  points = $derived(parsePoints(this.settings.points) ?? []);
  /** null while the reader has not drawn any point for the 'drawn' target */
  target = $derived<Target2D | null>(
    this.settings.target === 'drawn' && this.points.length === 0
      ? null
      : getTarget(this.settings.target, { points: this.points }),
  );
  realSamples = $derived(this.target ? this.target.sample(createRng(this.settings.seed), REAL_SAMPLES) : new Float32Array());
  bounds = $derived(this.target?.bounds ?? { xMin: -4, xMax: 4, yMin: -4, yMax: 4 });

  metrics = $derived<FganMetrics>({
    step: this.frame?.step ?? 0,
    divergence: this.settings.divergence,
    criticLoss: this.frame?.criticLoss ?? Number.NaN,
    generatorLoss: this.frame?.generatorLoss ?? Number.NaN,
    bound: this.frame?.bound ?? Number.NaN,
    trueDivergence: this.frame?.trueDivergence ?? Number.NaN,
    stepsPerSecond: this.status === 'training' ? (this.frame?.stepsPerSecond ?? 0) : 0,
    backend: this.backend,
    workerTensors: this.frame?.workerTensors ?? 0,
    status: this.status,
  });

  /** Every point received, newest last; `history` (what the charts draw) is a copy refreshed a few times a second:
   *  curves that redraw 60 times a second cost raster time the field needs, and look no different at 6. */
  #points: HistoryPoint[] = [];
  #publishedAt = -Infinity;

  /** Takes a frame from the worker; extends the curves when training moved on. */
  override receive(frame: FganFrame, now = performance.now()): void {
    super.receive(frame);
    const last = this.#points.at(-1);
    if (frame.step > 0 && !(last && frame.step <= last.step)) {
      this.#points.push({
        step: frame.step, criticLoss: frame.criticLoss, generatorLoss: frame.generatorLoss,
        bound: frame.bound, trueDivergence: frame.trueDivergence,
      });
      if (this.#points.length > HISTORY_MAX) this.#points = this.#points.filter((_, i) => i % 2 === 0 || i === this.#points.length - 1);
    }
    if (this.status !== 'training' || now - this.#publishedAt >= CHART_REFRESH_MS) {
      this.history = [...this.#points];
      this.#publishedAt = now;
    }
  }

  override clearRun(): void {
    super.clearRun();
    this.#points = [];
    this.history = [];
  }
}
