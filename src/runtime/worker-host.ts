// Main-thread side of the tfjs worker: starts it, sends 'init', and turns the id-matched protocol into promises.
// Invariants: the main thread never imports tfjs (only protocol types and URLs); every pending call settles — with
// the worker's result, its structured error (as a WorkerError), or a rejection when the worker dies or is
// terminated; an 'auto' backend picked by benchmark is remembered in sessionStorage for the session and passed to
// later workers so they skip the benchmark.
import {
  WorkerError,
  type BackendChoice,
  type BackendName,
  type CallKind,
  type Calls,
  type InitResult,
  type WorkerEvent,
  type WorkerMessage,
} from './protocol.ts';
import { TaskHandle } from './task-handle.ts';
import { defaultWasmPath, spawnModuleWorker } from './worker-url.ts';

/** What the host needs from a Worker; tests pass a MessagePort-backed fake. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (e: Event) => void): void;
  terminate(): void;
}

interface MinimalStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface StartOptions {
  backend?: BackendChoice;
  /** Testing aid: the worker throws when initialising these backends. */
  failBackends?: BackendName[];
  /** Absolute or page-relative URL of the worker script (src/worker-url.ts has the bundled one's); needed unless
   * `spawn` is given. */
  workerUrl?: string;
  /** Absolute URL of the folder with the tfjs .wasm files; default: <site root>/wasm/. */
  wasmPath?: string;
  /** Reject start() if init takes longer; default 60 s (webgl shader compiles on software GL are slow). */
  timeoutMs?: number;
  /** Where to remember the 'auto' choice; default sessionStorage (null: do not remember). */
  storage?: MinimalStorage | null;
  /** Create the worker yourself (tests). */
  spawn?: () => WorkerLike;
}

export type CallArgs<K extends CallKind> = Calls[K]['payload'] extends void
  ? [payload?: undefined, transfer?: Transferable[]]
  : [payload: Calls[K]['payload'], transfer?: Transferable[]];

export const AUTO_BACKEND_KEY = 'explorables.runtime.auto-backend.v1';

function sessionStore(): MinimalStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // sandboxed iframes throw on access
  }
}

interface Pending {
  kind: CallKind;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

export class WorkerHost {
  /** The full init report: requested backend, failures, auto timings, tf version. */
  info!: InitResult;
  /** The worker script's URL (null when the caller spawned the worker itself). */
  workerUrl: string | null = null;
  /** True when the worker script is on another origin and was started through a blob: module wrapper. */
  crossOrigin = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();
  private dead: Error | null = null;

  private constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (e) => this.receive((e as MessageEvent).data as WorkerMessage));
    worker.addEventListener('error', (e) => {
      e.preventDefault?.();
      const msg = (e as ErrorEvent).message;
      this.fail(new Error(`worker error: ${msg || 'the worker script failed to load or crashed'}`));
    });
    worker.addEventListener('messageerror', () => this.emit({ id: 0, event: 'error', error: { name: 'DataCloneError', message: 'a worker message could not be deserialised' } }));
  }

  static async start(opts: StartOptions = {}): Promise<WorkerHost> {
    const backend = opts.backend ?? 'auto';
    const failBackends = opts.failBackends ?? [];
    const storage = opts.storage === undefined ? sessionStore() : opts.storage;
    const useCache = backend === 'auto' && failBackends.length === 0 && storage;
    let cachedAuto: BackendName | undefined;
    if (useCache) {
      try {
        const v = storage.getItem(AUTO_BACKEND_KEY);
        if (v === 'webgl' || v === 'wasm' || v === 'cpu') cachedAuto = v;
      } catch { /* storage unavailable */ }
    }
    let release = () => {};
    let host: WorkerHost;
    if (opts.spawn) host = new WorkerHost(opts.spawn());
    else {
      const url = opts.workerUrl;
      if (!url) throw new Error('WorkerHost.start needs a workerUrl (or a spawn function)');
      const spawned = spawnModuleWorker(url);
      release = () => spawned.release();
      host = new WorkerHost(spawned.worker);
      host.workerUrl = url;
      host.crossOrigin = spawned.wrapped;
    }
    const timeoutMs = opts.timeoutMs ?? 60_000;
    try {
      const init = host.call('init', { backend, failBackends, wasmPath: opts.wasmPath ?? defaultWasmPath(), cachedAuto });
      host.info = await withTimeout(init, timeoutMs, `worker init timed out after ${timeoutMs} ms`);
    } catch (e) {
      host.terminate();
      throw e;
    } finally {
      release();
    }
    if (useCache && host.info.autoSource === 'bench') {
      try {
        storage.setItem(AUTO_BACKEND_KEY, host.info.backend);
      } catch { /* quota or privacy mode */ }
    }
    return host;
  }

  /** The backend actually running. */
  get backend(): BackendName {
    return this.info.backend;
  }

  /** Why the requested backend is not the one running (null if it is). */
  get fallbackReason(): string | null {
    return this.info.fallbackReason;
  }

  get terminated(): boolean {
    return this.dead !== null;
  }

  call<K extends CallKind>(kind: K, ...[payload, transfer]: CallArgs<K>): Promise<Calls[K]['result']> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { kind, resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker.postMessage({ id, kind, payload }, transfer ?? []);
      } catch (e) {
        this.pending.delete(id);
        reject(e as Error);
      }
    });
  }

  /** Create a task instance in the worker (see tasks.ts). */
  async task<Snapshot = unknown, Input = unknown, Output = unknown>(name: string, config?: unknown): Promise<TaskHandle<Snapshot, Input, Output>> {
    const { handle } = await this.call('task.create', { task: name, config });
    return new TaskHandle<Snapshot, Input, Output>((kind, payload) => this.call(kind, payload as never) as Promise<unknown>, handle);
  }

  /** Unsolicited worker events (a running task failed, an escaped error). Returns an unsubscribe function. */
  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  terminate(): void {
    if (this.dead) return;
    this.worker.terminate();
    this.fail(new Error('worker terminated'));
  }

  private receive(msg: WorkerMessage) {
    if (!msg || typeof msg !== 'object') return;
    if (msg.id === 0) return this.emit(msg as WorkerEvent);
    const p = this.pending.get(msg.id);
    if (!p || !('ok' in msg)) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new WorkerError(msg.error, p.kind));
  }

  private emit(e: WorkerEvent) {
    for (const l of this.listeners) l(e);
  }

  private fail(err: Error) {
    this.dead ??= err;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}

/** `p`, or a rejection with `message` once `ms` have passed without an answer (the timer is cleared either way). */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
