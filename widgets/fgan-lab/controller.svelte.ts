// Drives one <fgan-lab>: leases a worker for the chosen backend, creates the training task, paces drawing by the
// display (one snapshot per animation frame while training) and training by the worker, pauses when the figure
// leaves the viewport or the tab is hidden, and turns every failure into a status and a message, never a blank figure.
import type { FganConfigInput } from '../../src/models/fgan-config.ts';
import type { FganFrame, FganRunInput } from '../../src/models/fgan-task.ts';
import { acquireHost, watchVisibility, type Lease, type TaskHandle } from '../../src/runtime/index.ts';
import type { BackendChoice } from '../../src/runtime/protocol.ts';
import { SPEED_MAX } from './schema.ts';
import type { FganLabState, FganSettings, LabStatus } from './state.svelte.ts';

type Handle = TaskHandle<FganFrame, FganRunInput, number>;

/** Minimum time between frame requests, as a multiple of the worker's time to prepare one (1 / share of its time). */
const FRAME_SHARE = 5;
/** …but the figure never shows data older than this, however slow a frame is to prepare (software WebGL). */
const MAX_FRAME_INTERVAL_MS = 250;

/** Settings that only change pacing or what is drawn; every other change starts a new run. */
const LIVE = new Set<keyof FganSettings>(['speed', 'autoplay']);

export function toConfig(s: FganSettings, points: [number, number][]): FganConfigInput {
  return {
    divergence: s.divergence as FganConfigInput['divergence'], alpha: s.alpha, pi: s.pi,
    target: s.target as FganConfigInput['target'], points,
    noise: s.noise as 'uniform' | 'gaussian', noiseDim: s.noiseDim as 1 | 2,
    generator: { depth: s.gDepth, width: s.gWidth, activation: s.gActivation as 'relu' },
    critic: { depth: s.dDepth, width: s.dWidth, activation: s.dActivation as 'relu' },
    generatorOptimizer: { kind: s.gOptimizer as 'adam', lr: s.gLr },
    criticOptimizer: { kind: s.dOptimizer as 'adam', lr: s.dLr },
    criticSteps: s.criticSteps, batchSize: s.batchSize, seed: s.seed,
    generatorObjective: s.generatorObjective as 'alternative', mode: s.mode as 'alternating', lambda: s.lambda,
  };
}

export class FganLabController {
  #lease: Lease | null = null;
  #leaseBackend: BackendChoice | null = null;
  #task: Handle | null = null;
  #taskPromise: Promise<Handle | null> | null = null;
  /** the run (#generation) that #taskPromise is creating a task for */
  #taskGeneration = -1;
  #stopFrames: (() => void) | null = null;
  #unwatch: () => void;
  #offEvents: (() => void) | null = null;
  /** the reader (or autoplay) wants training; visibility decides whether it actually runs */
  #wanted: boolean;
  #visible = false;
  #generation = 0;
  #destroyed = false;

  constructor(private s: FganLabState, host: HTMLElement) {
    this.#wanted = s.settings.autoplay;
    this.#unwatch = watchVisibility(host, {
      onEnter: () => { this.#visible = true; if (this.#wanted) void this.#run(); },
      onLeave: () => { this.#visible = false; void this.#halt(); },
    });
  }

  play(): void {
    this.#wanted = true;
    // A figure the reader starts by hand runs even if the observer has not reported it visible yet.
    this.#visible = true;
    void this.#run();
  }

  pause(): void {
    this.#wanted = false;
    void this.#halt();
  }

  /** A fresh run with the same settings: new weights from the seed, empty curves. */
  async reset(): Promise<void> {
    const keep = this.#wanted && this.s.status !== 'diverged';
    await this.#dropTask();
    this.s.clearRun();
    this.s.status = 'idle';
    this.#wanted = keep;
    if (keep) await this.#run();
    else await this.#ensureTask();
  }

  /** Exactly n more generator steps, then a frame; resolves when they are done. */
  async step(n: number): Promise<void> {
    this.#wanted = false;
    await this.#halt();
    const task = await this.#ensureTask();
    if (!task || this.s.status === 'diverged') return;
    const target = (this.s.frame?.step ?? 0) + n;
    let reached = this.s.frame?.step ?? 0;
    while (reached < target && !this.#destroyed) reached = await task.step({ speed: Infinity, until: target });
    await this.#refresh(task);
    // The refresh may have found the run diverged; read the status afresh rather than the narrowed one above.
    const status = this.s.status as LabStatus;
    if (status !== 'diverged' && status !== 'error') this.s.status = 'paused';
  }

  /** Apply changed settings; anything that changes the model or data starts a new run. */
  async update(next: FganSettings): Promise<void> {
    const changed = (Object.keys(next) as (keyof FganSettings)[]).filter((k) => !Object.is(next[k], this.s.settings[k]));
    if (!changed.length) return;
    this.s.settings = { ...next };
    if (changed.every((k) => LIVE.has(k))) {
      if (this.#task && this.s.status === 'training') await this.#task.play(this.#runInput());
      return;
    }
    if (changed.includes('backend')) await this.#dropLease();
    await this.reset();
  }

  destroy(): void {
    this.#destroyed = true;
    this.#unwatch();
    void this.#dropLease();
  }

  #runInput(): FganRunInput {
    const speed = this.s.settings.speed;
    return { speed: speed >= SPEED_MAX ? Infinity : speed };
  }

  async #run(): Promise<void> {
    if (!this.#visible || this.#destroyed || this.s.status === 'diverged') return;
    const generation = this.#generation;
    const task = await this.#ensureTask();
    // a reset while the task was being made has started its own run
    if (!task || generation !== this.#generation || !this.#wanted || !this.#visible || this.#destroyed) return;
    this.s.status = 'training';
    if (!(await this.#call(task, () => task.play(this.#runInput())))) return;
    this.#stopFrames?.();
    // Preparing a frame costs the worker a few training steps; keep that under a fifth of its time, so a slow
    // machine trains at full speed and draws a little less often, and a fast one still draws every frame.
    this.#stopFrames = task.frames((f) => this.#receive(f), (e) => this.#fail(e), () => Math.min(MAX_FRAME_INTERVAL_MS, FRAME_SHARE * (this.s.frame?.frameMs ?? 0)));
  }

  async #halt(): Promise<void> {
    const task = this.#task;
    if (!task) return;
    this.#stopFrames?.();
    this.#stopFrames = null;
    if (!(await this.#call(task, () => task.pause()))) return;
    if (this.s.status === 'training') this.s.status = 'paused';
    await this.#refresh(task);
  }

  async #refresh(task: Handle): Promise<void> {
    try {
      const frame = await task.frame();
      if (task === this.#task) this.#receive(frame);
    } catch (e) {
      if (task === this.#task) this.#fail(e);
    }
  }

  /** Runs a request on `task`; true when it succeeded and the task is still current. A reader can change settings
   * faster than the worker answers (a key held on a slider): a request to a task disposed meanwhile fails with
   * "no task with handle", which is expected, not an error to show. */
  async #call(task: Handle, request: () => Promise<void>): Promise<boolean> {
    try {
      await request();
    } catch (e) {
      if (task === this.#task) this.#fail(e);
      return false;
    }
    return task === this.#task;
  }

  #receive(frame: FganFrame): void {
    if (this.#destroyed) return;
    this.s.receive(frame);
    if (frame.status === 'diverged' && this.s.status !== 'diverged') {
      this.s.status = 'diverged';
      this.s.message = frame.reason ?? 'the losses are no longer finite numbers';
      this.#wanted = false;
      void this.#halt();
    }
  }

  #fail(e: unknown): void {
    if (this.#destroyed) return;
    this.s.status = 'error';
    this.s.message = e instanceof Error ? e.message : String(e);
    this.#wanted = false;
  }

  /** The running task, created (with its worker) on first need; null when it cannot run (message set). */
  #ensureTask(): Promise<Handle | null> {
    if (this.#task) return Promise.resolve(this.#task);
    const generation = this.#generation;
    if (this.#taskPromise) {
      // A creation begun before a reset belongs to the old run (it disposes its task when done): wait for it, then
      // create the new run's task, rather than handing the caller the old creation's null.
      if (this.#taskGeneration === generation) return this.#taskPromise;
      return this.#taskPromise.then(() => this.#ensureTask());
    }
    const create = async (): Promise<Handle | null> => {
      if (!this.s.target) {
        this.s.status = 'idle';
        return null;
      }
      this.s.status = 'loading';
      try {
        const backend = this.s.settings.backend as BackendChoice;
        if (!this.#lease || this.#leaseBackend !== backend) {
          // there is no task here (see the top), so only the lease goes; #dropTask would bump the generation and
          // make this very creation look stale
          this.#releaseLease();
          this.#lease = await acquireHost(backend);
          this.#leaseBackend = backend;
          const host = this.#lease.host;
          this.s.backend = host.backend;
          this.s.fallbackReason = host.fallbackReason;
          this.#offEvents = host.onEvent((ev) => {
            if ('handle' in ev && ev.handle === this.#task?.handle) this.#fail(new Error(ev.error.message));
          });
        }
        const task = (await this.#lease.host.task('fgan', toConfig(this.s.settings, this.s.points))) as Handle;
        if (generation !== this.#generation || this.#destroyed) {
          void task.dispose();
          return null;
        }
        this.#task = task;
        this.s.status = 'paused';
        await this.#refresh(task);
        return task;
      } catch (e) {
        this.#fail(e);
        return null;
      }
    };
    // .finally runs after `promise` is assigned, even when create() returns without awaiting
    const promise: Promise<Handle | null> = create().finally(() => {
      if (this.#taskPromise === promise) this.#taskPromise = null;
    });
    this.#taskPromise = promise;
    this.#taskGeneration = generation;
    return promise;
  }

  async #dropTask(): Promise<void> {
    this.#generation++;
    this.#stopFrames?.();
    this.#stopFrames = null;
    const task = this.#task;
    this.#task = null;
    await task?.dispose().catch(() => {});
  }

  async #dropLease(): Promise<void> {
    await this.#dropTask();
    this.#releaseLease();
  }

  #releaseLease(): void {
    this.#offEvents?.();
    this.#offEvents = null;
    this.#lease?.release();
    this.#lease = null;
    this.#leaseBackend = null;
  }
}
