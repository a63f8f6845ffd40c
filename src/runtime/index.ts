// Public, main-thread-safe surface of the runtime. Importing this never loads tfjs: tfjs runs only in the worker
// (worker.ts), started by WorkerHost. Worker-side modules (backends, bench, dispatcher, tasks) are not re-exported.
export { WorkerHost, withTimeout, AUTO_BACKEND_KEY, type StartOptions, type WorkerLike, type CallArgs } from './worker-host.ts';
export { TaskHandle } from './task-handle.ts';
export { defaultWasmPath, spawnModuleWorker, type SpawnedWorker } from './worker-url.ts';
export { Rng, createRng, hashSeed } from '../math/rng.ts';
export { watchVisibility, createScheduler, DEFAULT_ROOT_MARGIN, type VisibilityHandlers, type WatchOptions } from './scheduler.ts';
export * from './protocol.ts';
export { acquireHost, type Lease } from './host-pool.ts';
