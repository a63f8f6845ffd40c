// Drives any widget whose computation runs as a task in the tfjs worker: leases a worker for the chosen backend,
// creates the task (and creates it again when a setting changes the model), paces drawing by the display (one
// snapshot per animation frame while training, spaced out when frames are costly) and training by the worker,
// pauses when the figure leaves the viewport or the tab is hidden, and turns every failure into a status and a
// message, never a blank figure. A widget describes its task with a TaskSpec; nothing here knows a model.
// Invariants: a run is identified by #generation, and anything that resolves for an older run is dropped (a task
// created for it is disposed); after destroy() nothing holds a lease, no callback writes state, and a worker that
// was still starting is released as soon as it answers.
import { acquireHost, watchVisibility, type Lease, type TaskHandle } from '../../src/runtime/index.ts';
import type { BackendChoice } from '../../src/runtime/protocol.ts';
import { workerUrl } from '../../src/worker-url.ts';
import type { TaskState } from './task-state.svelte.ts';

export interface TaskSpec<Settings extends object, Frame, RunInput> {
  /** the worker task's name (src/models/tasks.ts) */
  task: string;
  /** the task's config for these settings; null while the run cannot start (e.g. nothing drawn yet) */
  config(s: Settings): unknown;
  /** what each step call carries: settings that apply to the running run without a restart */
  runInput(s: Settings): RunInput;
  /** …and for `step(n)`: run at full speed until the frame's step count reaches `until` */
  stepInput(s: Settings, until: number): RunInput;
  /** keys whose change applies live (through runInput); every other change starts a new run */
  live: ReadonlySet<keyof Settings>;
  backend(s: Settings): BackendChoice;
  autoplay(s: Settings): boolean;
  /** the frame's step count */
  stepOf(frame: Frame): number;
  /** why a frame says the run broke down (non-finite, exploding, stuck), or null */
  brokenReason(frame: Frame): string | null;
  /** worker time spent preparing the frame, which paces the frame requests */
  frameCost?(frame: Frame): number;
  /** a run of fixed length has reached its end: training stops (and play() does not resume it; reset() starts a
   * new run) */
  finished?(frame: Frame): boolean;
}

/** Minimum time between frame requests, as a multiple of the worker's time to prepare one (1 / share of its time). */
const FRAME_SHARE = 5;
/** …but the figure never shows data older than this, however slow a frame is to prepare (software WebGL). */
const MAX_FRAME_INTERVAL_MS = 250;
/** …and asks at most every second display frame at 60 Hz (about 30 frames of data a second). Each frame costs the
 * page too (drawing, compositing, raster: measured in Chromium without a GPU, about 10 ms of CPU per frame of the lab
 * outside its worker), and on a machine with two cores that comes out of training: the lab at 45 frames of data a
 * second trained 500–550 steps a second, at 30 about 620. Samples that move 30 times a second still move continuously. */
const MIN_FRAME_INTERVAL_MS = 28;
/** The frame cost that paces requests is the mean over this window, so an occasional costly frame (the lab's D_f
 * estimate, 15 ms four times a second beside 2 ms frames) spreads over the next frames instead of holding the next
 * request back five times its own cost: that was a visible 85 ms stall of the samples four times a second. */
const FRAME_COST_WINDOW_MS = 1000;

export class TaskController<Settings extends object, Frame, RunInput> {
  #lease: Lease | null = null;
  #leaseBackend: BackendChoice | null = null;
  #task: TaskHandle<Frame, RunInput, number> | null = null;
  #taskPromise: Promise<TaskHandle<Frame, RunInput, number> | null> | null = null;
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
  /** (arrival time, worker cost) of the frames received in the last FRAME_COST_WINDOW_MS */
  #frameCosts: [number, number][] = [];

  constructor(private s: TaskState<Settings, Frame>, private spec: TaskSpec<Settings, Frame, RunInput>, host: HTMLElement) {
    this.#wanted = spec.autoplay(s.settings);
    this.#unwatch = watchVisibility(host, {
      onEnter: () => { this.#visible = true; if (this.#wanted) void this.#run(); },
      onLeave: () => { this.#visible = false; void this.#halt(); },
    });
  }

  play(): void {
    if (this.#destroyed) return;
    this.#wanted = true;
    // A figure the reader starts by hand runs even if the observer has not reported it visible yet.
    this.#visible = true;
    void this.#run();
  }

  pause(): void {
    this.#wanted = false;
    void this.#halt();
  }

  /** A fresh run with the same settings: new weights from the seed, empty curves. It keeps training if it was,
   * but not after a breakdown (the reader first sees the fresh start). */
  async reset(): Promise<void> {
    await this.#restart(this.#wanted && !this.#stopped());
  }

  async #restart(train: boolean): Promise<void> {
    if (this.#destroyed) return;
    await this.#dropTask();
    this.s.clearRun();
    this.s.status = 'idle';
    this.#wanted = train;
    if (train) await this.#run();
    else await this.#ensureTask();
  }

  /** Exactly n more steps, then a frame; resolves when they are done. */
  async step(n: number): Promise<void> {
    if (this.#destroyed) return;
    this.#wanted = false;
    await this.#halt();
    const task = await this.#ensureTask();
    if (!task || this.#stopped()) return;
    const start = this.s.frame ? this.spec.stepOf(this.s.frame) : 0;
    const target = start + n;
    let reached = start;
    while (reached < target && task === this.#task) reached = await task.step(this.spec.stepInput(this.s.settings, target));
    await this.#refresh(task);
    if (!this.#stopped() && task === this.#task) this.s.status = 'paused';
  }

  /** Apply changed settings: live ones reach the running run, any other starts a new run (a broken run too). */
  async update(next: Settings): Promise<void> {
    if (this.#destroyed) return;
    const keys = Object.keys(next) as (keyof Settings)[];
    const changed = keys.filter((k) => !Object.is(next[k], this.s.settings[k]));
    if (!changed.length) return;
    this.s.settings = { ...next };
    if (changed.every((k) => this.spec.live.has(k)) && !this.#stopped()) {
      if (this.#task && this.s.status === 'training') await this.#call(this.#task, (t) => t.play(this.spec.runInput(this.s.settings)));
      return;
    }
    // a run stopped by a breakdown or an error was training: the reader's fix starts training again
    const train = this.#wanted || this.#stopped();
    if (changed.includes('backend' as keyof Settings)) await this.#dropLease();
    await this.#restart(train);
  }

  destroy(): void {
    this.#destroyed = true;
    this.#wanted = false;
    this.#unwatch();
    void this.#dropLease();
  }

  #stopped(): boolean {
    return this.s.status === 'diverged' || this.s.status === 'error';
  }

  #finished(): boolean {
    return !!this.s.frame && !!this.spec.finished?.(this.s.frame);
  }

  async #run(): Promise<void> {
    if (!this.#visible || this.#destroyed || this.#stopped() || this.#finished()) return;
    const generation = this.#generation;
    const task = await this.#ensureTask();
    // a reset while the task was being made has started its own run
    if (!task || generation !== this.#generation || !this.#wanted || !this.#visible || this.#destroyed) return;
    this.s.status = 'training';
    if (!(await this.#call(task, (t) => t.play(this.spec.runInput(this.s.settings))))) return;
    this.#stopFrames?.();
    // Preparing a frame costs the worker some training; keep that under a fifth of its time, so a slow machine
    // trains at full speed and draws a little less often, and a fast one still draws every frame.
    const cost = () => this.#frameCosts.reduce((sum, [, c]) => sum + c, 0) / Math.max(1, this.#frameCosts.length);
    this.#stopFrames = task.frames((f) => this.#receive(f), (e) => this.#fail(e), () => Math.min(MAX_FRAME_INTERVAL_MS, Math.max(MIN_FRAME_INTERVAL_MS, FRAME_SHARE * cost())));
  }

  async #halt(): Promise<void> {
    const task = this.#task;
    if (!task) return;
    this.#stopFrames?.();
    this.#stopFrames = null;
    if (!(await this.#call(task, (t) => t.pause()))) return;
    if (this.s.status === 'training') this.s.status = 'paused';
    await this.#refresh(task);
  }

  async #refresh(task: TaskHandle<Frame, RunInput, number>): Promise<void> {
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
  async #call(task: TaskHandle<Frame, RunInput, number>, request: (t: TaskHandle<Frame, RunInput, number>) => Promise<void>): Promise<boolean> {
    try {
      await request(task);
    } catch (e) {
      if (task === this.#task) this.#fail(e);
      return false;
    }
    return task === this.#task && !this.#destroyed;
  }

  #receive(frame: Frame): void {
    if (this.#destroyed) return;
    this.s.receive(frame);
    if (this.spec.frameCost) {
      const now = performance.now();
      this.#frameCosts.push([now, this.spec.frameCost(frame)]);
      while (this.#frameCosts.length > 1 && now - this.#frameCosts[0][0] > FRAME_COST_WINDOW_MS) this.#frameCosts.shift();
    }
    const reason = this.spec.brokenReason(frame);
    if (reason && this.s.status !== 'diverged') {
      this.s.status = 'diverged';
      this.s.message = reason;
      this.#wanted = false;
      void this.#halt();
    } else if (this.#finished() && this.s.status === 'training') {
      // #wanted stays: the reader still wants training, so a new setting (another divergence) starts its run
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
  #ensureTask(): Promise<TaskHandle<Frame, RunInput, number> | null> {
    if (this.#task) return Promise.resolve(this.#task);
    if (this.#destroyed) return Promise.resolve(null);
    const generation = this.#generation;
    if (this.#taskPromise) {
      // A creation begun before a reset belongs to the old run (it disposes its task when done): wait for it, then
      // create the new run's task, rather than handing the caller the old creation's null.
      if (this.#taskGeneration === generation) return this.#taskPromise;
      return this.#taskPromise.then(() => this.#ensureTask());
    }
    const promise = this.#create(generation).finally(() => {
      if (this.#taskPromise === promise) this.#taskPromise = null;
    });
    this.#taskPromise = promise;
    this.#taskGeneration = generation;
    return promise;
  }

  async #create(generation: number): Promise<TaskHandle<Frame, RunInput, number> | null> {
    // a plain copy: the settings are a reactive proxy, which cannot be posted to a worker
    const config = $state.snapshot(this.spec.config(this.s.settings));
    if (config === null) {
      this.s.status = 'idle';
      return null;
    }
    this.s.status = 'loading';
    try {
      const backend = this.spec.backend(this.s.settings);
      if (!this.#lease || this.#leaseBackend !== backend) {
        // there is no task here (see #ensureTask), so only the lease goes; #dropTask would bump the generation and
        // make this very creation look stale
        this.#releaseLease();
        const lease = await acquireHost(backend, { workerUrl: workerUrl() });
        // The figure was removed (or switched backend) while the worker started: let the worker go at once.
        if (this.#destroyed || generation !== this.#generation) {
          lease.release();
          return null;
        }
        this.#lease = lease;
        this.#leaseBackend = backend;
        const host = lease.host;
        this.s.backend = host.backend;
        this.s.failures = host.info.failures;
        this.s.fallbackReason = host.fallbackReason;
        this.#offEvents = host.onEvent((ev) => {
          if ('handle' in ev && ev.handle === this.#task?.handle) this.#fail(new Error(ev.error.message));
        });
      }
      const task = await this.#lease.host.task<Frame, RunInput, number>(this.spec.task, config);
      if (generation !== this.#generation || this.#destroyed) {
        void task.dispose().catch(() => {});
        return null;
      }
      this.#task = task;
      this.s.status = 'paused';
      await this.#refresh(task);
      return task;
    } catch (e) {
      if (generation === this.#generation) this.#fail(e);
      return null;
    }
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
