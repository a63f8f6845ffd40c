// The page's side of analysis.worker.ts. The cells are independent given the seed (same inputs, same readout, each
// cell's σ₁ estimate seeded by the cell), so they are shared out between two workers and computed in parallel, the
// costlier gated cells first; the answer is the cells in the order asked. At most one request is in flight and,
// while it runs, only the newest settings wait, so a fast drag never queues stale work.
import { spawnModuleWorker, type SpawnedWorker } from '../../src/runtime/index.ts';
import type { CellId } from '../../src/math/rnn-cells.ts';
import type { CellGradients, RnnGradientSettings, SingularOptions } from '../../src/math/rnn-gradients.ts';
import type { AnalysisReply, AnalysisRequest } from './analysis.worker.ts';
import analysisUrl from './analysis.worker.ts?worker&url';

export type AnalysisResult = { cells: CellGradients[]; ms: number } | { error: string };

/** relative cost of a cell: its recompute time for T = 200, H = 64 at the widget's defaults (Node: 2.5 ms for a simple
 *  RNN, whose σ₁ costs no product there, 24 for the LSTM, 22 for the GRU, 15 for the GRU with r at the output) */
const COST: Record<CellId, number> = { 'rnn-tanh': 1, 'rnn-relu': 1, 'rnn-linear': 1, lstm: 10, gru: 9, 'gru-r-out': 6 };
const WORKERS = 2;

interface Job {
  id: number;
  order: CellId[];
  parts: number;
  cells: CellGradients[];
  ms: number;
  error: string | null;
}

export class AnalysisClient {
  #workers: SpawnedWorker[] = [];
  #job: Job | null = null;
  #next: Omit<AnalysisRequest, 'id'> | null = null;
  #id = 0;

  constructor(private onresult: (r: AnalysisResult) => void) {
    const n = Math.max(1, Math.min(WORKERS, navigator.hardwareConcurrency || 1));
    for (let i = 0; i < n; i++) {
      const spawned = spawnModuleWorker(new URL(analysisUrl, import.meta.url).href, `explorables-rnn-analysis-${i}`);
      spawned.worker.onmessage = (e: MessageEvent<AnalysisReply>) => {
        spawned.release();
        this.#receive(e.data);
      };
      spawned.worker.onerror = (e) => this.#receive({ id: this.#job?.id ?? -1, error: e.message || 'the analysis worker failed to start' });
      this.#workers.push(spawned);
    }
  }

  request(settings: Partial<RnnGradientSettings>, opts: SingularOptions): void {
    this.#next = { settings, opts };
    this.#send();
  }

  #send(): void {
    if (this.#job || !this.#next) return;
    const { settings, opts } = this.#next;
    this.#next = null;
    const order = settings.cells ?? [];
    // greedy: the costliest cell goes to the least loaded worker
    const load = this.#workers.map(() => 0);
    const groups: CellId[][] = this.#workers.map(() => []);
    for (const c of [...order].sort((a, b) => COST[b] - COST[a])) {
      const w = load.indexOf(Math.min(...load));
      groups[w].push(c);
      load[w] += COST[c];
    }
    const used = groups.map((g, w) => [g, w] as const).filter(([g]) => g.length > 0);
    this.#job = { id: ++this.#id, order, parts: used.length, cells: [], ms: 0, error: null };
    for (const [cells, w] of used) {
      this.#workers[w].worker.postMessage({ id: this.#job.id, settings: { ...settings, cells }, opts } satisfies AnalysisRequest);
    }
  }

  #receive(reply: AnalysisReply): void {
    const job = this.#job;
    if (!job || reply.id !== job.id) return;
    if ('error' in reply) job.error = reply.error;
    else {
      job.cells.push(...reply.cells);
      job.ms = Math.max(job.ms, reply.ms);
    }
    if (--job.parts > 0) return;
    this.#job = null;
    if (job.error) this.onresult({ error: job.error });
    else this.onresult({ cells: job.order.map((id) => job.cells.find((c) => c.id === id)!), ms: job.ms });
    this.#send();
  }

  destroy(): void {
    for (const w of this.#workers) {
      w.worker.terminate();
      w.release();
    }
  }
}
