// State of one <fgan-fit>: the settings (and, while a slider is dragged, its value in `live`, which the exact side
// follows at once), the exact fit and contour map from exact.worker.ts, the training run's frames from the tfjs
// worker, and the table of results: each divergence's exact minimum, and its f-GAN result once a run of it on this
// mixture has finished. A finished run's result stays in the table while the reader trains other divergences; a
// change of the mixture, the objective, the run length or the seed empties the trained column.
import { getDivergence } from '../../src/math/fdiv.ts';
import { divergenceToGaussian, fitWindow, makeMixture, type GaussianFit, type Mixture1D } from '../../src/math/gaussian-fit.ts';
import type { DivergenceId } from '../../src/math/types.ts';
import type { FitFrame } from '../../src/models/gaussian-fit-task.ts';
import { mixtureComponents, type FganFitSettings } from '../../src/settings/fgan-fit.ts';
import { TaskState, type TaskStatus } from '../core/task-state.svelte.ts';
import type { ExactMap, ExactReply, ExactRequest } from './exact.worker.ts';

export type { FganFitSettings };

/** The five divergences of the paper's Table 3, always in the table; the chosen one joins them if it is another. */
export const TABLE_ROWS: readonly DivergenceId[] = ['kl', 'reverse-kl', 'js', 'jeffrey', 'pearson'];


export interface TrainedResult {
  mu: number;
  sigma: number;
  /** D_f(P‖N(μ, σ²)) at the trained point, by quadrature */
  divergence: number;
  /** the critic's bound F at the end of the run */
  bound: number;
  step: number;
}

export interface FitMetrics {
  divergence: DivergenceId;
  step: number;
  steps: number;
  /** the generator now, and its average over the last ~200 steps (what the table reports) */
  mu: number;
  sigma: number;
  muAvg: number;
  sigmaAvg: number;
  bound: number;
  /** direct minimisation for the chosen divergence (null until computed) and its other local minima */
  exact: GaussianFit | null;
  localMinima: GaussianFit[];
  /** finished runs on this mixture, by divergence */
  trained: Partial<Record<DivergenceId, TrainedResult>>;
  backend: string | null;
  /** generator steps per second over the last second of training (0 when not training) */
  stepsPerSecond: number;
  /** what the exact worker took for its latest map: the fit, the contour map and the descent path */
  exactMs: number;
  status: TaskStatus;
  finished: boolean;
}

/** What a trained result depends on besides the divergence: when it changes, the column empties. */
const trainedKey = (s: FganFitSettings) =>
  JSON.stringify([s.weight, s.mean1, s.sd1, s.mean2, s.sd2, s.generatorObjective, s.steps, s.seed, s.alpha, s.pi, s.startMu, s.startSigma]);
/** What an exact fit depends on besides the divergence. */
export const exactKey = (r: Pick<ExactRequest, 'components' | 'alpha' | 'pi'>) => JSON.stringify([r.components, r.alpha, r.pi]);
const settingsExactKey = (s: FganFitSettings) => exactKey({ components: mixtureComponents(s), alpha: s.alpha, pi: s.pi });

export class FitState extends TaskState<FganFitSettings, FitFrame> {
  live = $state<Partial<FganFitSettings>>({});
  dragging = $derived(Object.keys(this.live).length > 0);
  view = $derived<FganFitSettings>({ ...this.settings, ...this.live });
  mixture = $derived<Mixture1D>(makeMixture(mixtureComponents(this.view)));
  divergence = $derived(getDivergence(this.view.divergence, { alpha: this.view.alpha, pi: this.view.pi }));
  start = $derived({ mu: this.view.startMu, sigma: this.view.startSigma });
  window = $derived(fitWindow(this.mixture, this.start));
  rows = $derived<DivergenceId[]>(TABLE_ROWS.includes(this.view.divergence) ? [...TABLE_ROWS] : [...TABLE_ROWS, this.view.divergence]);

  /** the exact map for the view's mixture and divergence (the latest answer: during a drag it may lag a little) */
  exact = $state.raw<ExactMap | null>(null);
  exactFor = $state<{ divergence: DivergenceId; key: string } | null>(null);
  exactMs = $state(Number.NaN);
  exactError = $state<string | null>(null);
  /** exact minima of the table's rows for `exactRowsKey` */
  exactRows = $state.raw<Partial<Record<DivergenceId, GaussianFit>>>({});
  #exactRowsKey = '';
  trained = $state.raw<Partial<Record<DivergenceId, TrainedResult>>>({});
  #trainedKey = '';

  /** D_f at the f-GAN's current (μ, σ), by quadrature (the critic's F is only a lower bound of it) */
  currentDivergence = $derived(this.frame ? divergenceToGaussian(this.divergence, this.mixture, this.frame.mu, this.frame.sigma) : Number.NaN);
  finished = $derived(!!this.frame && this.frame.step >= this.frame.steps);

  metrics = $derived<FitMetrics>({
    divergence: this.settings.divergence,
    step: this.frame?.step ?? 0,
    steps: this.settings.steps,
    mu: this.frame?.mu ?? this.settings.startMu,
    sigma: this.frame?.sigma ?? this.settings.startSigma,
    muAvg: this.frame?.muAvg ?? this.settings.startMu,
    sigmaAvg: this.frame?.sigmaAvg ?? this.settings.startSigma,
    bound: this.frame?.bound ?? Number.NaN,
    exact: this.#exactCurrent() ? this.exact!.fit.best : null,
    localMinima: this.#exactCurrent() ? this.exact!.fit.minima.slice(1) : [],
    trained: this.trained,
    backend: this.backend,
    stepsPerSecond: this.status === 'training' ? (this.frame?.stepsPerSecond ?? 0) : 0,
    exactMs: this.exactMs,
    status: this.status,
    finished: this.finished,
  });

  /** the exact map describes the settings (not only a slider's preview, nor the previous divergence) */
  #exactCurrent(): boolean {
    return this.exactFor?.divergence === this.settings.divergence && this.exactFor.key === settingsExactKey(this.settings);
  }

  /** The request the exact worker is asked for the view (the map grid is coarser while a slider is dragged). */
  exactRequest = $derived<Omit<ExactRequest, 'id'>>({
    divergence: this.view.divergence, alpha: this.view.alpha, pi: this.view.pi, components: mixtureComponents(this.view),
    start: this.start, n: this.dragging ? 28 : 48, rows: this.rows.filter((d) => d !== this.view.divergence),
  });

  /** An answer of the exact worker to `asked`. */
  receiveExact(reply: ExactReply, asked: Omit<ExactRequest, 'id'>): void {
    if (reply.kind === 'error') {
      this.exactError = reply.error;
      return;
    }
    this.exactError = null;
    const key = exactKey(asked);
    if (key !== this.#exactRowsKey) {
      this.#exactRowsKey = key;
      this.exactRows = {};
    }
    if (reply.kind === 'map') {
      this.exact = reply.map;
      this.exactFor = { divergence: asked.divergence, key };
      this.exactMs = reply.ms;
      this.exactRows = { ...this.exactRows, [asked.divergence]: reply.map.fit.best };
    } else {
      this.exactRows = { ...this.exactRows, [reply.divergence]: reply.fit };
    }
  }

  override receive(frame: FitFrame): void {
    super.receive(frame);
    const key = trainedKey(this.settings);
    if (key !== this.#trainedKey) {
      this.#trainedKey = key;
      this.trained = {};
    }
    if (frame.step >= frame.steps && frame.status === 'ok' && this.trained[frame.divergence]?.step !== frame.step) {
      const mixture = makeMixture(mixtureComponents(this.settings));
      const d = getDivergence(frame.divergence, { alpha: this.settings.alpha, pi: this.settings.pi });
      this.trained = {
        ...this.trained,
        [frame.divergence]: {
          mu: frame.muAvg, sigma: frame.sigmaAvg, bound: frame.bound, step: frame.step,
          divergence: divergenceToGaussian(d, mixture, frame.muAvg, frame.sigmaAvg),
        },
      };
    }
  }
}
