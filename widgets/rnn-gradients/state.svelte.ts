// State of one <rnn-gradients>: the settings, the gradient views computed from them (pure float64 mathematics,
// src/math/rnn-gradients.ts, run in a small worker of their own: analysis.worker.ts), and the training run's
// history from the tfjs worker. While a slider is dragged its value lives in `live` and the views follow it; the settings (and
// with them the training run) change only when the drag ends.
import type { CellGradients, RnnGradientSettings, SingularOptions } from '../../src/math/rnn-gradients.ts';
import type { CellId } from '../../src/math/rnn-cells.ts';
import type { RnnFrame } from '../../src/models/rnn-task.ts';
import { cellsOf, type RnnSettings } from '../../src/settings/rnn-gradients.ts';
import { TaskState, type TaskStatus } from '../core/task-state.svelte.ts';

export type { RnnSettings };

/** While dragging, σ₁ stops at the solver's start block (two vectors, no refinement): a lower bound, exact where
 *  the step Jacobians are block diagonal or orthogonal times diagonal; the full budget returns when the drag ends. */
const DRAG_SINGULAR: SingularOptions = { maxIterations: 0 };
/** The heatmap keeps at most this many rows (training steps); older rows are merged two into one. */
const MAX_ROWS = 240;

export interface RnnMetrics {
  cells: CellId[];
  length: number;
  /** per cell, indexed by t − 1 */
  gradNorms: number[][];
  connectivity: number[][];
  maxSingular: number[][];
  /** per cell: the latest training loss and held-out accuracy (NaN before training) */
  loss: number[];
  accuracy: number[];
  step: number;
  /** time the last recomputation of the gradient views took on the page */
  computeMs: number;
  status: TaskStatus;
}

export interface TrainHistory {
  /** training step of each loss point, and per cell the loss */
  steps: number[];
  losses: number[][];
  /** evaluation points: step and per cell held-out accuracy */
  evalSteps: number[];
  accuracy: number[][];
  /** heatmap rows: per cell Float32Array(rows × T) of log10 ‖∂L/∂h_t‖, and the training step each row ends at */
  rowSteps: number[];
  profiles: Float32Array[];
}

const emptyHistory = (n: number): TrainHistory => ({
  steps: [], losses: Array.from({ length: n }, () => []), evalSteps: [], accuracy: Array.from({ length: n }, () => []),
  rowSteps: [], profiles: Array.from({ length: n }, () => new Float32Array()),
});

export class RnnState extends TaskState<RnnSettings, RnnFrame> {
  /** a slider being dragged: its value, shown by the views before it becomes a setting */
  live = $state<Partial<RnnSettings>>({});
  dragging = $derived(Object.keys(this.live).length > 0);
  /** the time step under the pointer in any gradient view (1..T), or null */
  hoverT = $state<number | null>(null);
  view = $derived<RnnSettings>({ ...this.settings, ...this.live });
  cells = $derived(cellsOf(this.view));
  /** what the gradient views should show: the analysis worker is asked for it whenever it changes */
  analysisInput = $derived<{ settings: Partial<RnnGradientSettings>; opts: SingularOptions }>({
    settings: {
      cells: this.cells, T: this.view.length, hidden: this.view.hiddenSize, init: this.view.init, radius: this.view.radius,
      forgetBias: this.view.forgetBias, inputKind: this.view.inputKind, inputScale: this.view.inputScale,
      seed: this.view.seed, clip: this.view.clip > 0 ? this.view.clip : Infinity,
    },
    opts: this.dragging ? DRAG_SINGULAR : {},
  });
  /** the latest views from the worker (empty until the first answer) and the milliseconds they took there */
  report = $state.raw<{ cells: CellGradients[] }>({ cells: [] });
  computeMs = $state(Number.NaN);
  /** why the views could not be computed, if they could not */
  analysisError = $state<string | null>(null);
  history = $state.raw<TrainHistory>(emptyHistory(0));

  metrics = $derived<RnnMetrics>({
    cells: this.report.cells.map((c) => c.id),
    length: this.report.cells[0]?.T ?? this.view.length,
    gradNorms: this.report.cells.map((c) => Array.from(c.gradNorms)),
    connectivity: this.report.cells.map((c) => Array.from(c.connectivity)),
    maxSingular: this.report.cells.map((c) => Array.from(c.maxSingular)),
    loss: this.history.losses.length ? this.history.losses.map((l) => l.at(-1) ?? Number.NaN) : this.cells.map(() => Number.NaN),
    accuracy: this.history.accuracy.length ? this.history.accuracy.map((a) => a.at(-1) ?? Number.NaN) : this.cells.map(() => Number.NaN),
    step: this.frame?.step ?? 0,
    computeMs: this.computeMs,
    status: this.status,
  });

  #h: TrainHistory = emptyHistory(0);
  #rowsInBucket = 1;

  override receive(frame: RnnFrame): void {
    super.receive(frame);
    const n = frame.cells.length, T = frame.T;
    const h = this.#h.losses.length === n ? this.#h : (this.#h = emptyHistory(n));
    frame.rowSteps.forEach((step, r) => {
      h.steps.push(step);
      for (let c = 0; c < n; c++) h.losses[c].push(frame.losses[c][r]);
    });
    if (frame.evalStep >= 0 && frame.evalStep !== h.evalSteps.at(-1)) {
      h.evalSteps.push(frame.evalStep);
      for (let c = 0; c < n; c++) h.accuracy[c].push(frame.accuracy[c]);
    }
    this.#addRows(h, frame, T);
    this.history = { ...h };
  }

  /** Appends the frame's profiles as heatmap rows (log10), averaging #rowsInBucket steps into one row, and halves
   * the resolution when the map is full, so the whole run always fits. */
  #addRows(h: TrainHistory, frame: RnnFrame, T: number): void {
    const n = frame.cells.length;
    for (let r = 0; r < frame.rowSteps.length; r++) {
      const step = frame.rowSteps[r];
      const lastFull = h.rowSteps.length === 0 || (h.rowSteps.length > 0 && this.#bucketCount >= this.#rowsInBucket);
      if (lastFull) {
        h.rowSteps.push(step);
        for (let c = 0; c < n; c++) h.profiles[c] = grow(h.profiles[c], h.rowSteps.length * T);
        this.#bucketCount = 0;
      }
      const row = h.rowSteps.length - 1;
      h.rowSteps[row] = step;
      const k = this.#bucketCount;
      for (let c = 0; c < n; c++) {
        const dst = h.profiles[c], src = frame.profiles[c];
        for (let t = 0; t < T; t++) {
          const v = Math.log10(Math.max(src[r * T + t], 1e-38));
          dst[row * T + t] = k === 0 ? v : (dst[row * T + t] * k + v) / (k + 1);
        }
      }
      this.#bucketCount++;
      if (h.rowSteps.length >= MAX_ROWS && this.#bucketCount >= this.#rowsInBucket) {
        const half = h.rowSteps.length / 2;
        h.rowSteps = h.rowSteps.filter((_, i) => i % 2 === 1);
        for (let c = 0; c < n; c++) {
          const merged = new Float32Array(half * T);
          for (let i = 0; i < half; i++) for (let t = 0; t < T; t++) {
            merged[i * T + t] = (h.profiles[c][2 * i * T + t] + h.profiles[c][(2 * i + 1) * T + t]) / 2;
          }
          h.profiles[c] = merged;
        }
        this.#rowsInBucket *= 2;
      }
    }
  }

  #bucketCount = 0;

  override clearRun(): void {
    super.clearRun();
    this.#h = emptyHistory(0);
    this.#rowsInBucket = 1;
    this.#bucketCount = 0;
    this.history = emptyHistory(0);
  }
}

function grow(a: Float32Array, size: number): Float32Array {
  if (a.length >= size) return a.length === size ? a : a.slice(0, size);
  const b = new Float32Array(size);
  b.set(a);
  return b;
}
