// Worker-side backend start-up: load tfjs-core and a backend package lazily, make it the active backend, and fall
// back webgl → wasm → cpu when it cannot start. 'auto' benchmarks every backend that starts and keeps the fastest
// (or reuses the session's cached choice if that still starts). Invariants: a backend counts as started only when
// tf.setBackend resolved true; every failure is recorded with its reason; backends that lost the 'auto' race are
// removed so they free their GPU context / wasm memory.
import type * as TF from '@tensorflow/tfjs-core';
import { benchmark } from './bench.ts';
import { BACKENDS, type BackendFailure, type BackendName, type InitPayload, type InitResult } from './protocol.ts';

type Tf = typeof TF;

/** How to load each backend package; injectable so Node tests can run without webgl/wasm. */
export interface BackendLoaders {
  core: () => Promise<Tf>;
  webgl: (tf: Tf) => Promise<void>;
  wasm: (tf: Tf, wasmPath: string) => Promise<void>;
  cpu: (tf: Tf) => Promise<void>;
}

export const defaultLoaders: BackendLoaders = {
  core: async () => {
    const tf = await import('@tensorflow/tfjs-core');
    // tfjs-core alone has no gradients (the tfjs union package registers them); tasks train, so register them.
    await import('@tensorflow/tfjs-core/dist/register_all_gradients');
    return tf;
  },
  webgl: async () => {
    await import('@tensorflow/tfjs-backend-webgl');
  },
  wasm: async (_tf, wasmPath) => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmPath);
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function tryStart(tf: Tf, name: BackendName, init: InitPayload, loaders: BackendLoaders): Promise<void> {
  if (init.failBackends.includes(name)) throw new Error(`${name} disabled on purpose (failBackends)`);
  if (name === 'wasm') await loaders.wasm(tf, init.wasmPath);
  else await loaders[name](tf);
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') resolved false`);
  await tf.ready();
}

/** Start the first backend of `order` that works; record every failure on the way. */
async function firstThatStarts(tf: Tf, order: BackendName[], init: InitPayload, loaders: BackendLoaders, failures: BackendFailure[]) {
  for (const name of order) {
    try {
      await tryStart(tf, name, init, loaders);
      return name;
    } catch (e) {
      failures.push({ backend: name, error: message(e) });
    }
  }
  return null;
}

/** A wasm backend that cannot fetch or compile its binary is, on a page with a Content-Security-Policy, most often
 * refused by it: say which directives to check. */
function hint(f: BackendFailure): string {
  return f.backend === 'wasm' && /fetch|compile|wasm|CompileError|unsafe-eval/i.test(f.error)
    ? ' — if the page sets a Content-Security-Policy, connect-src must allow the .wasm files\' origin and script-src needs \'wasm-unsafe-eval\''
    : '';
}

function describe(failures: BackendFailure[], running: BackendName): string {
  return `${failures.map((f) => `${f.backend} failed to initialise (${f.error})${hint(f)}`).join('; ')}; fell back to ${running}`;
}

/** Remove the webgl/wasm backends that are not `keep` (frees GL contexts and wasm heaps of the losers). cpu stays
 *  if loaded: it is cheap, and webgl forwards tiny ops to it. */
function removeOthers(tf: Tf, keep: BackendName) {
  for (const name of ['webgl', 'wasm'] as const) if (name !== keep && tf.findBackendFactory(name)) tf.removeBackend(name);
}

export async function startBackend(init: InitPayload, loaders: BackendLoaders = defaultLoaders): Promise<{ tf: Tf; result: InitResult }> {
  const t0 = performance.now();
  const tf = await loaders.core();
  const failures: BackendFailure[] = [];
  const autoTimings: Partial<Record<BackendName, number>> = {};
  let autoSource: InitResult['autoSource'] = null;
  let running: BackendName | null = null;
  let fallbackReason: string | null = null;

  if (init.backend === 'auto') {
    if (init.cachedAuto) {
      const cacheFailures: BackendFailure[] = [];
      running = await firstThatStarts(tf, [init.cachedAuto], init, loaders, cacheFailures);
      if (running) autoSource = 'cache';
    }
    if (!running) {
      for (const name of BACKENDS) {
        if ((await firstThatStarts(tf, [name], init, loaders, failures)) !== name) continue;
        autoTimings[name] = (await benchmark(tf, name, 5, 2)).msPerStep;
      }
      const ranked = (Object.entries(autoTimings) as [BackendName, number][]).sort((a, b) => a[1] - b[1]);
      if (ranked.length) {
        running = ranked[0][0];
        autoSource = 'bench';
        await tryStart(tf, running, init, loaders);
        // a backend that could not start (WebGL missing, wasm blocked by a policy) is news for the reader too
        if (failures.length) fallbackReason = `auto: ${describe(failures, running)} (the fastest of those that started)`;
      }
    }
  } else {
    const order = [init.backend, ...BACKENDS.filter((b) => b !== init.backend)];
    running = await firstThatStarts(tf, order, init, loaders, failures);
    if (running && running !== init.backend) fallbackReason = describe(failures, running);
  }

  if (!running) throw new Error(`no tfjs backend could start: ${failures.map((f) => `${f.backend}: ${f.error}`).join('; ')}`);
  removeOthers(tf, running);
  return {
    tf,
    result: {
      requested: init.backend,
      backend: running,
      fallbackReason,
      failures,
      tfVersion: tf.version_core,
      autoTimings,
      autoSource,
      initMs: performance.now() - t0,
    },
  };
}
