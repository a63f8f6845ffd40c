// Lazy start near the viewport, pause when offscreen or when the tab is hidden (Distill's d-figure behaviour).
// A watched element is "wanted" while it is within rootMargin of the viewport AND the document is visible.
// Invariants: onEnter/onLeave strictly alternate, starting with onEnter; starts go through one shared queue so at
// most one figure starts per animation frame (a page with ten figures does not start ten models in one frame); a
// figure that stops being wanted while queued is dropped from the queue without any callback; after the disposer
// runs, no callback fires. The widget combines this "may run" signal with its own play/pause state.

export interface VisibilityHandlers {
  /** The element neared the viewport (or the tab became visible again while it was near). */
  onEnter(): void;
  /** The element left the (margin-extended) viewport, or the tab was hidden. */
  onLeave(): void;
}

export interface WatchOptions {
  /** How far outside the viewport counts as near; IntersectionObserver syntax. Default '200px 0px'. */
  rootMargin?: string;
}

/** The browser APIs the scheduler uses; injectable for Node tests. */
export interface SchedulerEnv {
  IntersectionObserver: new (cb: IntersectionObserverCallback, opts?: IntersectionObserverInit) => Pick<IntersectionObserver, 'observe' | 'disconnect'>;
  document: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  requestAnimationFrame(cb: () => void): unknown;
  reportError?(e: unknown): void;
}

interface Watch {
  handlers: VisibilityHandlers;
  near: boolean;
  active: boolean;
  queued: boolean;
}

export const DEFAULT_ROOT_MARGIN = '200px 0px';

export function createScheduler(env: SchedulerEnv) {
  const watches = new Set<Watch>();
  const queue: Watch[] = [];
  let frameRequested = false;

  const report = (e: unknown) => (env.reportError ? env.reportError(e) : console.error(e));
  const wanted = (w: Watch) => w.near && env.document.visibilityState !== 'hidden';

  const requestFrame = () => {
    if (frameRequested || queue.length === 0) return;
    frameRequested = true;
    env.requestAnimationFrame(flush);
  };

  function flush() {
    frameRequested = false;
    const w = queue.shift();
    if (w) {
      w.queued = false;
      if (watches.has(w) && wanted(w) && !w.active) {
        w.active = true;
        try {
          w.handlers.onEnter();
        } catch (e) {
          report(e);
        }
      }
    }
    requestFrame();
  }

  function dequeue(w: Watch) {
    const i = queue.indexOf(w);
    if (i >= 0) queue.splice(i, 1);
    w.queued = false;
  }

  function update(w: Watch) {
    if (wanted(w)) {
      if (!w.active && !w.queued) {
        w.queued = true;
        queue.push(w);
        requestFrame();
      }
      return;
    }
    if (w.queued) dequeue(w);
    if (w.active) {
      w.active = false;
      try {
        w.handlers.onLeave();
      } catch (e) {
        report(e);
      }
    }
  }

  const onVisibility = () => {
    for (const w of watches) update(w);
  };

  function watchVisibility(element: Element, handlers: VisibilityHandlers, opts: WatchOptions = {}): () => void {
    const w: Watch = { handlers, near: false, active: false, queued: false };
    if (watches.size === 0) env.document.addEventListener('visibilitychange', onVisibility);
    watches.add(w);
    const io = new env.IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1];
        if (!last || !watches.has(w)) return;
        w.near = last.isIntersecting;
        update(w);
      },
      { rootMargin: opts.rootMargin ?? DEFAULT_ROOT_MARGIN, threshold: 0 },
    );
    io.observe(element);
    return () => {
      if (!watches.delete(w)) return;
      io.disconnect();
      dequeue(w);
      w.active = false;
      if (watches.size === 0) env.document.removeEventListener('visibilitychange', onVisibility);
    };
  }

  return { watchVisibility, /** pending starts, for tests */ queueLength: () => queue.length };
}

let defaultScheduler: ReturnType<typeof createScheduler> | null = null;

/** Watch an element with the page's shared scheduler. Returns a disposer. */
export function watchVisibility(element: Element, handlers: VisibilityHandlers, opts?: WatchOptions): () => void {
  defaultScheduler ??= createScheduler({
    IntersectionObserver,
    document,
    requestAnimationFrame: (cb) => requestAnimationFrame(cb),
    reportError: typeof reportError === 'function' ? (e) => reportError(e) : undefined,
  });
  return defaultScheduler.watchVisibility(element, handlers, opts);
}
