// The worker's request handler, kept free of `self` so Node tests can drive it through a MessageChannel.
// Invariants: every request gets exactly one response with its id; a failing handler becomes { ok: false, error }
// and never an unhandled rejection; 'init' must come first and only once; calls on one task instance are
// serialised (a step, a frame read or a dispose never interleave), and a free-running loop yields to the event
// loop between steps so 'task.frame' requests are answered while it trains.
import type * as TF from '@tensorflow/tfjs-core';
import { startBackend, defaultLoaders, type BackendLoaders } from './backends.ts';
import { benchmark, probe } from './bench.ts';
import { serializeError, type BackendName, type Calls, type CallKind, type Request, type WorkerMessage } from './protocol.ts';
import { Rng } from '../math/rng.ts';
import { BUILTIN_TASKS, type TaskInstance, type TaskRegistry } from './tasks.ts';

export interface DispatcherOptions {
  post(msg: WorkerMessage, transfer?: Transferable[]): void;
  loaders?: BackendLoaders;
  /** the tasks this worker can create, besides the built-in ones */
  tasks?: TaskRegistry;
  /** Resolves after the event loop had a chance to deliver messages; default setTimeout(0). */
  tick?: () => Promise<void>;
}

interface Entry {
  instance: TaskInstance;
  chain: Promise<unknown>;
  running: boolean;
  looping: boolean;
  input: unknown;
  disposed: boolean;
}

type Handler<K extends CallKind> = (payload: Calls[K]['payload']) => Promise<unknown>;

export function createDispatcher(opts: DispatcherOptions) {
  const loaders = opts.loaders ?? defaultLoaders;
  const registry: TaskRegistry = { ...BUILTIN_TASKS, ...opts.tasks };
  const tick = opts.tick ?? (() => new Promise<void>((r) => setTimeout(r, 0)));
  let tf: typeof TF | null = null;
  let backend: BackendName | null = null;
  let starting = false;
  let nextHandle = 1;
  const tasks = new Map<number, Entry>();

  const ready = () => {
    if (!tf || !backend) throw new Error('worker not initialised: send init first');
    return { tf, backend };
  };
  const entry = (handle: number) => {
    const e = tasks.get(handle);
    if (!e || e.disposed) throw new Error(`no task with handle ${handle}`);
    return e;
  };
  /** Queue fn after everything already queued on this task; a failure does not poison the queue. */
  const serial = <T>(e: Entry, fn: () => T | Promise<T>): Promise<T> => {
    const p = e.chain.then(fn);
    e.chain = p.catch(() => undefined);
    return p;
  };

  async function loop(handle: number, e: Entry) {
    e.looping = true;
    try {
      while (e.running && !e.disposed) {
        await serial(e, () => e.instance.step(e.input));
        await tick();
      }
    } catch (err) {
      e.running = false;
      opts.post({ id: 0, event: 'task-error', handle, error: serializeError(err) });
    } finally {
      e.looping = false;
    }
  }

  const handlers: { [K in CallKind]: Handler<K> } = {
    async init(p) {
      if (starting || tf) throw new Error('init was already sent');
      starting = true;
      const started = await startBackend(p, loaders);
      tf = started.tf;
      backend = started.result.backend;
      return started.result;
    },
    probe: async () => probe(ready().tf, ready().backend),
    memory: async () => {
      const m = ready().tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    },
    bench: async (p) => benchmark(ready().tf, ready().backend, p?.steps, p?.warmup),
    async 'task.create'(p) {
      const ctx = ready();
      const load = registry[p.task];
      if (!load) throw new Error(`unknown task '${p.task}' (known: ${Object.keys(registry).join(', ')})`);
      const mod = await load();
      const instance = await mod.create({ ...ctx, rng: new Rng(`task:${p.task}`) }, p.config);
      const handle = nextHandle++;
      tasks.set(handle, { instance, chain: Promise.resolve(), running: false, looping: false, input: undefined, disposed: false });
      return { handle };
    },
    'task.step': async (p) => {
      const e = entry(p.handle);
      return serial(e, () => e.instance.step(p.input));
    },
    async 'task.run'(p) {
      const e = entry(p.handle);
      e.running = p.running;
      if ('input' in p) e.input = p.input;
      if (e.running && !e.looping) void loop(p.handle, e);
      return { running: e.running };
    },
    'task.frame': async (p) => {
      const e = entry(p.handle);
      return serial(e, () => e.instance.snapshot());
    },
    async 'task.dispose'(p) {
      const e = tasks.get(p.handle);
      if (!e || e.disposed) return { disposed: false };
      e.running = false;
      await serial(e, () => e.instance.dispose());
      e.disposed = true;
      tasks.delete(p.handle);
      return { disposed: true };
    },
    async 'debug.fail'(p) {
      if (p.async) await Promise.reject(new Error(p.message));
      throw new Error(p.message);
    },
  };

  /** Handle one incoming message; always settles, never rejects. */
  async function handle(data: unknown): Promise<void> {
    const req = data as Partial<Request>;
    if (!req || typeof req.id !== 'number' || typeof req.kind !== 'string') {
      opts.post({ id: 0, event: 'error', error: { name: 'ProtocolError', message: `malformed request: ${JSON.stringify(data)?.slice(0, 200)}` } });
      return;
    }
    const id = req.id;
    try {
      const h = handlers[req.kind as CallKind] as Handler<CallKind> | undefined;
      if (!h || !Object.hasOwn(handlers, req.kind)) throw new Error(`unknown request kind '${req.kind}'`);
      opts.post({ id, ok: true, result: await h(req.payload as never) });
    } catch (err) {
      try {
        opts.post({ id, ok: false, error: serializeError(err) });
      } catch (postErr) {
        // The error itself could not be cloned; send its text only.
        opts.post({ id, ok: false, error: { name: 'Error', message: String(err), stack: String(postErr) } });
      }
    }
  }

  return { handle };
}
