// State of one <transformer-widen>: the settings, the small model (shipped, or retrained in the worker), and what the
// views draw. The comparison is float64 arithmetic on the main thread (src/math, no tfjs): widening the 5k-parameter
// model and running both forward passes on the reader's input takes milliseconds, so it is a $derived of the
// settings and follows every keystroke. The worker (via the shared task controller) only trains, for "keep training
// both". Invariant: every number shown for "small vs wide" comes from the same widened weights, on the reader's input.
import { forward, type ForwardTrace } from '../../src/math/transformer-forward.ts';
import { castWeights, type TransformerWeights } from '../../src/math/transformer.ts';
import type { TransformerFile } from '../../src/math/transformer-file.ts';
import { compareTraces, type Comparison } from '../../src/math/widen-compare.ts';
import { copySpread, widen, type Widened } from '../../src/math/widen.ts';
import { breaksAt, overview, withEps, type Stage, type WidenReport } from '../../src/math/widen-report.ts';
import type { WidenFrame } from '../../src/models/widen-task.ts';
import { inputTokens, type WidenSettings } from '../../src/settings/transformer-widen.ts';
import { TaskState, type TaskStatus } from '../core/task-state.svelte.ts';

export type { WidenSettings };

export interface WidenMetrics {
  method: WidenSettings['method'];
  factor: number;
  symmetry: WidenSettings['symmetry'];
  /** largest |Δ logits| on the reader's input, float64, at the moment of widening */
  maxAbsDiff: number;
  /** the same on the residual stream after the embeddings and after each block */
  perLayerMaxAbsDiff: number[];
  /** largest spread between copies of a unit in the widened model (after training, when it has trained) */
  copySpread: number;
  /** latest training loss of the widened model (NaN before training) */
  loss: number;
  /** wide training steps done */
  step: number;
  /** where the error first exceeds 1e-9, e.g. "block 1 feed-forward"; "none" when exact */
  breaksAt: string;
  /** main-thread time to widen and compare (ms) and to do it for all eight methods */
  widenMs: number;
  overviewMs: number;
  backend: string | null;
  status: TaskStatus;
}

export interface WidenActions {
  onplay: () => void;
  onpause: () => void;
  onstep: () => void;
  onreset: () => void;
  onsetting: <K extends keyof WidenSettings>(key: K, value: WidenSettings[K]) => void;
}

export function stageName(s: Stage | null): string {
  if (!s) return 'none';
  return s.kind === 'embeddings' || s.kind === 'logits' ? s.kind : `block ${s.block} ${s.kind}`;
}

interface Computed {
  wide: Widened<Float64Array>;
  small: ForwardTrace;
  wideTrace: ForwardTrace;
  comparison: Comparison;
  breaksAt: Stage | null;
  /** copy spread of the freshly widened weights (exactly 0 for 'none', rounding for 'split') */
  spread: number;
  ms: number;
}

export class WidenState extends TaskState<WidenSettings, WidenFrame> {
  /** the parameter shown as a heatmap, and the block whose attention is shown */
  param = $state('layers.0.w1');
  block = $state(0);

  constructor(settings: WidenSettings, readonly file: TransformerFile, readonly shipped: TransformerWeights<Float32Array>) {
    super(settings);
  }

  /** the small model retrained in the worker, kept once per run (every later frame carries the same weights) */
  retrained = $state.raw<TransformerWeights<Float32Array> | null>(null);
  tokens = $derived(inputTokens(this.settings.input));
  /** the small model whose widening is shown: the retrained one once the worker has it, else the shipped one */
  smallWeights = $derived.by(() => {
    const retrained = this.settings.smallModel === 'retrain' ? this.retrained : null;
    return castWeights(withEps(retrained ?? this.shipped, this.settings.eps), Float64Array);
  });

  computed = $derived.by<Computed>(() => {
    const t0 = performance.now();
    const { method, factor, symmetry, seed } = this.settings;
    const wide = widen(this.smallWeights, { method, factor, symmetry, seed });
    const small = forward(this.smallWeights, this.tokens);
    const wideTrace = forward(wide.weights, this.tokens);
    const comparison = compareTraces(small, wideTrace, wide.map);
    const spread = copySpread(wide.weights, wide.map).max;
    return { wide, small, wideTrace, comparison, breaksAt: breaksAt(comparison), spread, ms: performance.now() - t0 };
  });

  /** every method at this factor, no noise: the table a reader takes in at a glance */
  overview = $derived.by<{ rows: WidenReport[]; ms: number }>(() => {
    const t0 = performance.now();
    const rows = overview(this.smallWeights, this.settings.factor, this.settings.seed, [this.tokens]);
    return { rows, ms: performance.now() - t0 };
  });

  override receive(frame: WidenFrame): void {
    super.receive(frame);
    if (frame.retrained && !this.retrained) this.retrained = frame.retrained;
  }

  override clearRun(): void {
    super.clearRun();
    this.retrained = null;
  }

  retraining = $derived(this.settings.smallModel === 'retrain' && this.frame?.phase !== 'wide');

  metrics = $derived<WidenMetrics>({
    method: this.settings.method,
    factor: this.settings.factor,
    symmetry: this.settings.symmetry,
    maxAbsDiff: this.computed.comparison.maxAbsDiff,
    perLayerMaxAbsDiff: [...this.computed.comparison.perLayerMaxAbsDiff],
    copySpread: this.frame && this.frame.wideStep > 0 ? this.frame.copySpread : this.computed.spread,
    loss: this.frame?.widened.at(-1)?.[1] ?? Number.NaN,
    step: this.frame?.wideStep ?? 0,
    breaksAt: stageName(this.computed.breaksAt),
    widenMs: this.computed.ms,
    overviewMs: this.overview.ms,
    backend: this.backend,
    status: this.status,
  });
}
