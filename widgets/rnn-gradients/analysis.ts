// The page's side of analysis.worker.ts: keeps at most one request in flight and, while it runs, remembers only the
// newest settings, so a fast drag never queues stale work; every answer is for settings the reader asked for.
import { spawnModuleWorker } from '../../src/runtime/index.ts';
import type { RnnGradientSettings, SingularOptions } from '../../src/math/rnn-gradients.ts';
import type { AnalysisReply, AnalysisRequest } from './analysis.worker.ts';
import analysisUrl from './analysis.worker.ts?worker&url';

export class AnalysisClient {
  #worker: Worker;
  #release: () => void;
  #busy = false;
  #next: Omit<AnalysisRequest, 'id'> | null = null;
  #id = 0;

  constructor(private onreply: (reply: AnalysisReply) => void) {
    const spawned = spawnModuleWorker(new URL(analysisUrl, import.meta.url).href, 'explorables-rnn-analysis');
    this.#worker = spawned.worker;
    this.#release = spawned.release;
    this.#worker.onmessage = (e: MessageEvent<AnalysisReply>) => {
      this.#release();
      this.#busy = false;
      this.onreply(e.data);
      this.#send();
    };
    this.#worker.onerror = (e) => {
      this.#busy = false;
      this.onreply({ id: this.#id, error: e.message || 'the analysis worker failed to start' });
    };
  }

  request(settings: Partial<RnnGradientSettings>, opts: SingularOptions): void {
    this.#next = { settings, opts };
    this.#send();
  }

  #send(): void {
    if (this.#busy || !this.#next) return;
    this.#busy = true;
    this.#worker.postMessage({ id: ++this.#id, ...this.#next } satisfies AnalysisRequest);
    this.#next = null;
  }

  destroy(): void {
    this.#worker.terminate();
    this.#release();
  }
}
