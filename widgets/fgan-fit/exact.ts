// The page's side of exact.worker.ts: at most one contour map is computed at a time, and while it is, only the newest
// request waits (a fast drag never queues stale maps, and each map that arrives is shown). Rows of the table arrive
// after their map, and only the newest request's are passed on.
import { spawnModuleWorker, type SpawnedWorker } from '../../src/runtime/index.ts';
import type { ExactReply, ExactRequest } from './exact.worker.ts';
import exactUrl from './exact.worker.ts?worker&url';

export class ExactClient {
  #worker: SpawnedWorker;
  #busy = false;
  #next: Omit<ExactRequest, 'id'> | null = null;
  #id = 0;

  /** what each request in flight asked for, by id */
  #asked = new Map<number, Omit<ExactRequest, 'id'>>();

  constructor(private onreply: (r: ExactReply, asked: Omit<ExactRequest, 'id'>) => void) {
    this.#worker = spawnModuleWorker(new URL(exactUrl, import.meta.url).href, 'explorables-fgan-fit-exact');
    this.#worker.worker.onmessage = (e: MessageEvent<ExactReply>) => {
      this.#worker.release();
      const reply = e.data;
      const asked = this.#asked.get(reply.id);
      if (!asked) return;
      if (reply.kind === 'row') {
        // rows of a request that has been overtaken describe a mixture no longer shown
        if (reply.id === this.#id) this.onreply(reply, asked);
        return;
      }
      // a map is shown even when a newer request is on its way: during a drag it is the freshest there is
      this.onreply(reply, asked);
      for (const id of this.#asked.keys()) if (id < this.#id) this.#asked.delete(id);
      this.#busy = false;
      this.#send();
    };
    this.#worker.worker.onerror = (e) => {
      this.#busy = false;
      const asked = this.#asked.get(this.#id);
      if (asked) this.onreply({ id: this.#id, kind: 'error', error: e.message || 'the worker for the exact fit failed to start' }, asked);
    };
  }

  request(r: Omit<ExactRequest, 'id'>): void {
    this.#next = r;
    this.#send();
  }

  #send(): void {
    if (this.#busy || !this.#next) return;
    this.#busy = true;
    const id = ++this.#id;
    this.#asked.set(id, this.#next);
    this.#worker.worker.postMessage({ ...this.#next, id } satisfies ExactRequest);
    this.#next = null;
  }

  destroy(): void {
    this.#worker.worker.terminate();
    this.#worker.release();
  }
}
