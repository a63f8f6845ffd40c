// Main-thread handle on one task instance living in the worker (created by WorkerHost.task()).
// Invariants: frames() keeps at most one 'task.frame' request in flight and asks once per animation frame, so
// drawing is paced by the display and training by the worker; after stop() or dispose() no callback fires;
// a rejected frame (worker gone) stops the loop and goes to onError instead of becoming an unhandled rejection.
import type { CallKind } from './protocol.ts';

type Call = (kind: CallKind, payload: unknown) => Promise<unknown>;

const raf: (cb: () => void) => unknown =
  typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(cb) : (cb) => setTimeout(cb, 16);
const cancelRaf: (h: unknown) => void =
  typeof cancelAnimationFrame === 'function' ? (h) => cancelAnimationFrame(h as number) : (h) => clearTimeout(h as ReturnType<typeof setTimeout>);

export class TaskHandle<Snapshot = unknown, Input = unknown, Output = unknown> {
  private disposed = false;
  private readonly stops = new Set<() => void>();

  constructor(private readonly call: Call, readonly handle: number) {}

  /** One step with this input; resolves with the task's output. */
  step(input?: Input): Promise<Output> {
    return this.call('task.step', { handle: this.handle, input }) as Promise<Output>;
  }

  /** Let the worker run steps back to back (with this input) until pause(). */
  async play(input?: Input): Promise<void> {
    await this.call('task.run', input === undefined ? { handle: this.handle, running: true } : { handle: this.handle, running: true, input });
  }

  async pause(): Promise<void> {
    await this.call('task.run', { handle: this.handle, running: false });
  }

  /** The latest snapshot. */
  frame(): Promise<Snapshot> {
    return this.call('task.frame', { handle: this.handle }) as Promise<Snapshot>;
  }

  /** Request a snapshot every animation frame (never two at once) and hand it to onFrame. Returns stop().
   *  `minIntervalMs` (read before each request) lets the caller space requests out, e.g. so that preparing
   *  frames never takes more than a set share of the worker's time on a slow machine. */
  frames(onFrame: (s: Snapshot) => void, onError: (e: unknown) => void = () => {}, minIntervalMs: () => number = () => 0): () => void {
    let stopped = false;
    let inFlight = false;
    let timer: unknown;
    let lastRequest = -Infinity;
    const stop = () => {
      stopped = true;
      cancelRaf(timer);
      this.stops.delete(stop);
    };
    const tick = () => {
      if (stopped) return;
      timer = raf(tick);
      const now = performance.now();
      if (inFlight || now - lastRequest < minIntervalMs()) return;
      lastRequest = now;
      inFlight = true;
      this.frame().then(
        (s) => {
          inFlight = false;
          if (!stopped) onFrame(s);
        },
        (e) => {
          inFlight = false;
          if (stopped) return;
          stop();
          onError(e);
        },
      );
    };
    this.stops.add(stop);
    tick();
    return stop;
  }

  /** Stop every frame loop and free the task's tensors in the worker. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const stop of [...this.stops]) stop();
    await this.call('task.dispose', { handle: this.handle });
  }
}
