// The worker protocol without a browser: WorkerHost talks through a Node MessageChannel to the real dispatcher,
// which runs tfjs on the cpu backend. Covers: ids and structured errors, fallback reporting (a backend that throws
// on purpose, and webgl, whose tf.setBackend resolves false in Node), the probe against a plain-JS reference,
// tasks (step, frame, free-running loop, dispose back to the tensor baseline), the 'auto' session cache, and that
// terminating rejects pending calls.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultLoaders, type BackendLoaders } from '../../src/runtime/backends.ts';
import { PROBE_A, PROBE_B } from '../../src/runtime/bench.ts';
import { createDispatcher } from '../../src/runtime/dispatcher.ts';
import { WorkerError, type WorkerEvent } from '../../src/runtime/protocol.ts';
import { acquireHost } from '../../src/runtime/host-pool.ts';
import { AUTO_BACKEND_KEY, WorkerHost, type StartOptions, type WorkerLike } from '../../src/runtime/worker-host.ts';

const hosts: WorkerHost[] = [];
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // tfjs warns about failed backends and Node speed
});
afterEach(() => {
  for (const h of hosts.splice(0)) h.terminate();
  vi.restoreAllMocks();
});

/** A WorkerLike whose other end is the dispatcher, on this thread. */
function inProcessWorker(loaders: BackendLoaders): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  const dispatcher = createDispatcher({ post: (msg, transfer) => port2.postMessage(msg, transfer ?? []), loaders });
  port2.onmessage = (e) => void dispatcher.handle(e.data);
  port1.start();
  return {
    postMessage: (m, t) => port1.postMessage(m, t),
    addEventListener: (type, l) => port1.addEventListener(type, l as (e: Event) => void),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}

/** Node has no WebGL and we do not serve wasm here: loading wasm throws; 'webgl' registers a backend whose
 *  factory throws, so tf.setBackend('webgl') resolves false (what a browser without WebGL2 does). */
const nodeLoaders: BackendLoaders = {
  ...defaultLoaders,
  webgl: async (tf) => {
    if (!tf.findBackendFactory('webgl')) {
      tf.registerBackend('webgl', () => {
        throw new Error('no WebGL in Node');
      });
    }
  },
  wasm: async () => {
    throw new Error('no wasm in this test');
  },
};

async function start(opts: StartOptions = {}) {
  const h = await WorkerHost.start({ storage: null, spawn: () => inProcessWorker(nodeLoaders), ...opts });
  hosts.push(h);
  return h;
}

function referenceProbe() {
  const m: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
    let s = 0;
    for (let k = 0; k < 3; k++) s += PROBE_A[i * 3 + k] * PROBE_B[k * 4 + j];
    m.push(s);
  }
  const soft: number[] = [];
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const row = m.slice(i * 4, i * 4 + 4);
    const mx = Math.max(...row);
    const z = row.reduce((a, v) => a + Math.exp(v - mx), 0);
    row.forEach((v, j) => {
      soft.push(Math.exp(v - mx) / z);
      sum += (Math.exp(v - mx) / z) * (i + 1) * (j + 1);
    });
  }
  return { m, soft, sum };
}

describe('WorkerHost ↔ dispatcher', () => {
  it('starts cpu and computes the probe like plain JS', async () => {
    const h = await start({ backend: 'cpu' });
    expect(h.backend).toBe('cpu');
    expect(h.fallbackReason).toBeNull();
    expect(h.info.tfVersion).toMatch(/^4\./);
    const p = await h.call('probe');
    const ref = referenceProbe();
    p.matmul.forEach((v, i) => expect(v).toBeCloseTo(ref.m[i], 5));
    p.softmax.forEach((v, i) => expect(v).toBeCloseTo(ref.soft[i], 5));
    expect(p.sum).toBeCloseTo(ref.sum, 4);
    const bench = await h.call('bench', { steps: 3, warmup: 1 });
    expect(bench.msPerStep).toBeGreaterThan(0);
    expect((await h.call('memory')).numTensors).toBe(0);
  });

  it('falls back and says why: a forced failure, and setBackend resolving false', async () => {
    const forced = await start({ backend: 'webgl', failBackends: ['webgl'] });
    expect(forced.backend).toBe('cpu');
    expect(forced.info.failures.map((f) => f.backend)).toEqual(['webgl', 'wasm']);
    expect(forced.fallbackReason).toMatch(/^webgl failed to initialise \(webgl disabled on purpose.*wasm failed.*fell back to cpu$/);
    const real = await start({ backend: 'webgl' });
    expect(real.backend).toBe('cpu');
    expect(real.fallbackReason).toMatch(/webgl failed to initialise \(tf.setBackend\('webgl'\) resolved false\)/);
    await expect(start({ backend: 'cpu', failBackends: ['webgl', 'wasm', 'cpu'] })).rejects.toThrow(/no tfjs backend could start/);
  });

  it('answers errors as structured messages, never unhandled rejections', async () => {
    const h = await start({ backend: 'cpu' });
    const events: WorkerEvent[] = [];
    h.onEvent((e) => events.push(e));
    await expect(h.call('debug.fail', { message: 'boom', async: true })).rejects.toThrow('debug.fail: boom');
    await expect(h.call('debug.fail', { message: 'sync boom' })).rejects.toBeInstanceOf(WorkerError);
    await expect(h.call('init', { backend: 'cpu', failBackends: [], wasmPath: '' })).rejects.toThrow(/already/);
    await expect(h.call('nope' as 'probe')).rejects.toThrow(/unknown request kind 'nope'/);
    await expect(h.call('task.create', { task: 'missing' })).rejects.toThrow(/unknown task 'missing' \(known: counter/);
    await expect(h.call('task.frame', { handle: 99 })).rejects.toThrow(/no task with handle 99/);
    // Calls made in parallel each get their own answer.
    const [a, b] = await Promise.all([h.call('memory'), h.call('probe')]);
    expect(a.numTensors).toBe(0);
    expect(b.backend).toBe('cpu');
    expect(events).toEqual([]);
  });

  it('runs a task by steps and free-running, and frees its tensors', async () => {
    const h = await start({ backend: 'cpu' });
    const base = (await h.call('memory')).numTensors;
    const t = await h.task<{ steps: number; values: Float32Array }>('counter', { size: 4, seed: 1 });
    expect(await t.step(2)).toBe(1);
    expect(await t.step()).toBe(2);
    const snap = await t.frame();
    expect(snap.steps).toBe(2);
    expect(snap.values).toBeInstanceOf(Float32Array);
    expect(snap.values).toHaveLength(4);
    await t.play();
    await new Promise((r) => setTimeout(r, 50));
    const running = await t.frame();
    await t.pause();
    expect(running.steps).toBeGreaterThan(2);
    const n = (await h.call('memory')).numTensors;
    for (let i = 0; i < 20; i++) await t.step();
    expect((await h.call('memory')).numTensors).toBe(n); // no leak per step
    const frames: number[] = [];
    const stop = t.frames((s) => frames.push(s.steps));
    await new Promise((r) => setTimeout(r, 80));
    stop();
    expect(frames.length).toBeGreaterThan(0);
    await t.dispose();
    expect((await h.call('memory')).numTensors).toBe(base);
  });

  it('auto says which backends it had to skip and why', async () => {
    const h = await start({ backend: 'auto' });
    expect(h.backend).toBe('cpu');
    expect(h.fallbackReason).toMatch(/^auto: /);
    expect(h.fallbackReason).toMatch(/wasm failed to initialise \(no wasm in this test\)/);
    expect(h.fallbackReason).toMatch(/webgl/);
    expect(h.info.failures.map((f) => f.backend).sort()).toEqual(['wasm', 'webgl']);
  });

  it('remembers the auto choice for the session and reuses it', async () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const first = await start({ backend: 'auto', storage });
    expect(first.info.autoSource).toBe('bench');
    expect(first.backend).toBe('cpu');
    expect(Object.keys(first.info.autoTimings)).toEqual(['cpu']);
    expect(store.get(AUTO_BACKEND_KEY)).toBe('cpu');
    const second = await start({ backend: 'auto', storage });
    expect(second.info.autoSource).toBe('cache');
    expect(second.backend).toBe('cpu');
  });

  it('rejects pending calls when terminated, and later calls too', async () => {
    const h = await start({ backend: 'cpu' });
    const pending = h.call('bench', { steps: 50 });
    h.terminate();
    await expect(pending).rejects.toThrow('worker terminated');
    await expect(h.call('memory')).rejects.toThrow('worker terminated');
    expect(h.terminated).toBe(true);
  });

  it('times out a worker that never answers init', async () => {
    const silent: WorkerLike = { postMessage() {}, addEventListener() {}, terminate() {} };
    await expect(WorkerHost.start({ storage: null, spawn: () => silent, timeoutMs: 50 })).rejects.toThrow(/timed out after 50 ms/);
  });
});

describe('host pool', () => {
  it('shares one worker per backend, terminates it with the last lease, and starts afresh after', async () => {
    let spawned = 0;
    const spawn = () => {
      spawned++;
      return inProcessWorker(nodeLoaders);
    };
    const a = await acquireHost('cpu', { storage: null, spawn });
    const b = await acquireHost('cpu', { storage: null, spawn });
    expect(b.host).toBe(a.host);
    expect(spawned).toBe(1);
    a.release();
    a.release(); // twice is harmless: the other lease still holds the worker
    expect(a.host.terminated).toBe(false);
    b.release();
    expect(a.host.terminated).toBe(true);
    const c = await acquireHost('cpu', { storage: null, spawn });
    expect(c.host).not.toBe(a.host);
    expect(spawned).toBe(2);
    c.release();
    expect(c.host.terminated).toBe(true);
  });

  it('does not keep a worker that failed to start: the next lease tries again', async () => {
    const broken: WorkerLike = { postMessage() {}, addEventListener() {}, terminate() {} };
    await expect(acquireHost('wasm', { storage: null, spawn: () => broken, timeoutMs: 30 })).rejects.toThrow(/timed out/);
    const ok = await acquireHost('wasm', { storage: null, spawn: () => inProcessWorker(nodeLoaders) });
    expect(ok.host.backend).toBe('cpu'); // wasm cannot load here: it falls back and says so
    expect(ok.host.fallbackReason).toMatch(/wasm failed/);
    ok.release();
  });
});
