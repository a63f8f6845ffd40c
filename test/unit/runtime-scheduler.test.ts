// Scheduler with fake IntersectionObserver, document and animation frames: a figure starts when it nears the
// viewport, at most one start per frame, pauses when it leaves or the tab hides, resumes when the tab shows
// again only if it is still near, and the disposer silences it.
import { describe, expect, it } from 'vitest';
import { createScheduler, DEFAULT_ROOT_MARGIN, type SchedulerEnv } from '../../src/runtime/scheduler.ts';

function fakeEnv() {
  const observers: { cb: IntersectionObserverCallback; opts?: IntersectionObserverInit; el?: Element; live: boolean }[] = [];
  const frames: (() => void)[] = [];
  const listeners = new Set<() => void>();
  const doc = { visibilityState: 'visible' as DocumentVisibilityState };
  const env: SchedulerEnv = {
    IntersectionObserver: class {
      private rec: (typeof observers)[number];
      constructor(cb: IntersectionObserverCallback, opts?: IntersectionObserverInit) {
        this.rec = { cb, opts, live: true };
        observers.push(this.rec);
      }
      observe(el: Element) {
        this.rec.el = el;
      }
      disconnect() {
        this.rec.live = false;
      }
    },
    document: {
      get visibilityState() {
        return doc.visibilityState;
      },
      addEventListener: (_: string, l: () => void) => void listeners.add(l),
      removeEventListener: (_: string, l: () => void) => void listeners.delete(l),
    } as unknown as SchedulerEnv['document'],
    requestAnimationFrame: (cb) => frames.push(cb),
  };
  return {
    env,
    observers,
    listeners,
    intersect(el: Element, isIntersecting: boolean) {
      for (const o of observers) if (o.el === el && o.live) o.cb([{ isIntersecting } as IntersectionObserverEntry], {} as IntersectionObserver);
    },
    setHidden(hidden: boolean) {
      doc.visibilityState = hidden ? 'hidden' : 'visible';
      for (const l of [...listeners]) l();
    },
    frame() {
      const due = frames.splice(0);
      for (const f of due) f();
    },
  };
}

describe('scheduler', () => {
  it('starts one figure per frame, pauses offscreen and when hidden, resumes when visible', () => {
    const f = fakeEnv();
    const s = createScheduler(f.env);
    const log: string[] = [];
    const els = ['a', 'b', 'c'].map((id) => ({ id }) as unknown as Element);
    const stops = els.map((el, i) =>
      s.watchVisibility(el, { onEnter: () => log.push(`enter ${i}`), onLeave: () => log.push(`leave ${i}`) }),
    );
    expect(f.observers[0].opts?.rootMargin).toBe(DEFAULT_ROOT_MARGIN);
    for (const el of els) f.intersect(el, true);
    expect(log).toEqual([]); // nothing starts synchronously
    f.frame();
    expect(log).toEqual(['enter 0']);
    f.intersect(els[2], false); // leaves while queued: dropped without callbacks
    f.frame();
    f.frame();
    expect(log).toEqual(['enter 0', 'enter 1']);
    expect(s.queueLength()).toBe(0);

    log.length = 0;
    f.setHidden(true);
    expect(log).toEqual(['leave 0', 'leave 1']);
    f.intersect(els[1], false); // scrolled away while hidden
    f.setHidden(false);
    f.frame();
    f.frame();
    expect(log).toEqual(['leave 0', 'leave 1', 'enter 0']);

    log.length = 0;
    f.intersect(els[0], false);
    f.intersect(els[0], false); // repeated reports do not repeat callbacks
    expect(log).toEqual(['leave 0']);

    for (const stop of stops) stop();
    expect(f.listeners.size).toBe(0);
    expect(f.observers.every((o) => !o.live)).toBe(true);
    f.intersect(els[0], true);
    f.frame();
    expect(log).toEqual(['leave 0']);
  });

  it('honours a custom root margin and survives a throwing handler', () => {
    const f = fakeEnv();
    const errors: unknown[] = [];
    const s = createScheduler({ ...f.env, reportError: (e) => errors.push(e) });
    const el = {} as Element;
    let entered = 0;
    s.watchVisibility(el, { onEnter: () => { entered++; throw new Error('bad figure'); }, onLeave: () => {} }, { rootMargin: '50% 0px' });
    const other = {} as Element;
    s.watchVisibility(other, { onEnter: () => entered++, onLeave: () => {} });
    expect(f.observers[0].opts?.rootMargin).toBe('50% 0px');
    f.intersect(el, true);
    f.intersect(other, true);
    f.frame();
    f.frame();
    expect(entered).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
