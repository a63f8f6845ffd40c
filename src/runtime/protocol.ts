// The message protocol between the main thread (worker-host.ts) and the tfjs worker (worker.ts / dispatcher.ts).
// Invariants: every request carries a numeric id and gets exactly one response with the same id, either
// { ok: true, result } or { ok: false, error } — the worker never lets a handler's failure escape as an unhandled
// rejection. Messages with id 0 are unsolicited events (e.g. a running task failed). Type-only module: importing it
// never pulls tfjs onto the main thread.

export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;

export interface InitPayload {
  backend: BackendChoice;
  /** Testing aid: initialising any of these backends throws on purpose (so fallback can be exercised). */
  failBackends: BackendName[];
  /** Absolute URL (with trailing slash) of the folder that holds the tfjs .wasm binaries. */
  wasmPath: string;
  /** For 'auto': the backend a previous auto choice picked in this session (the host keeps it in sessionStorage). */
  cachedAuto?: BackendName;
}

export interface BackendFailure {
  backend: BackendName;
  error: string;
}

export interface InitResult {
  requested: BackendChoice;
  /** The backend that actually runs. */
  backend: BackendName;
  /** Set when the requested backend did not start, or when auto had to skip one that failed: says which and why.
   *  Null when everything asked for started. */
  fallbackReason: string | null;
  failures: BackendFailure[];
  tfVersion: string;
  /** 'auto' only: ms per benchmark step for every backend that initialised (empty when the cached choice was used). */
  autoTimings: Partial<Record<BackendName, number>>;
  /** How 'auto' decided: by benchmark, from the session cache, or not applicable. */
  autoSource: 'bench' | 'cache' | null;
  initMs: number;
}

export interface ProbeResult {
  backend: BackendName;
  tfVersion: string;
  /** 4×4 = A(4×3)·B(3×4), row-major. */
  matmul: number[];
  /** Row-wise softmax of matmul, row-major. */
  softmax: number[];
  /** Σ softmax[i][j]·(j+1)·(i+1). */
  sum: number;
}

export interface BenchPayload {
  steps?: number;
  warmup?: number;
}

export interface BenchResult {
  backend: BackendName;
  /** The first (warm-up) steps, including shader compilation on webgl. */
  warmupMs: number;
  msPerStep: number;
  steps: number;
  /** Final loss of the toy MLP, a sanity value. */
  loss: number;
}

export interface MemoryResult {
  numTensors: number;
  numBytes: number;
}

export interface TaskCreatePayload {
  task: string;
  config?: unknown;
}

/** Every request kind with its payload and result types. */
export interface Calls {
  init: { payload: InitPayload; result: InitResult };
  probe: { payload: void; result: ProbeResult };
  memory: { payload: void; result: MemoryResult };
  bench: { payload: BenchPayload; result: BenchResult };
  'task.create': { payload: TaskCreatePayload; result: { handle: number } };
  /** One step with the given input; resolves with the step's output. */
  'task.step': { payload: { handle: number; input?: unknown }; result: unknown };
  /** Start (running: true) or stop a free-running loop of steps paced by the worker. */
  'task.run': { payload: { handle: number; running: boolean; input?: unknown }; result: { running: boolean } };
  /** The latest snapshot for drawing (a structured-clone copy). */
  'task.frame': { payload: { handle: number }; result: unknown };
  'task.dispose': { payload: { handle: number }; result: { disposed: boolean } };
  /** Only for tests: makes the worker's handler fail in a way that would otherwise be an unhandled rejection. */
  'debug.fail': { payload: { message: string; async?: boolean }; result: never };
}
export type CallKind = keyof Calls;

export interface Request<K extends CallKind = CallKind> {
  id: number;
  kind: K;
  payload: Calls[K]['payload'];
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: SerializedError };

/** Unsolicited messages from the worker (id is always 0). */
export type WorkerEvent =
  | { id: 0; event: 'task-error'; handle: number; error: SerializedError }
  | { id: 0; event: 'error'; error: SerializedError };

export type WorkerMessage = Response | WorkerEvent;

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: typeof e === 'string' ? e : JSON.stringify(e) ?? String(e) };
}

/** The worker's structured error, rebuilt as an Error on the main thread. */
export class WorkerError extends Error {
  readonly remoteStack: string | undefined;
  constructor(err: SerializedError, kind?: string) {
    super(kind ? `${kind}: ${err.message}` : err.message);
    this.name = err.name === 'Error' ? 'WorkerError' : err.name;
    this.remoteStack = err.stack;
  }
}
