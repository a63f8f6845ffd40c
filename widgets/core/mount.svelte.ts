// Mounts a widget's root view into the element's shadow root, inside the shared shell (KaTeX styles, an error
// boundary, the "embed this figure" menu), publishes its metrics whenever they change, and adapts its driver to the
// element's scripting API. A widget's mount module is then a few lines: make its state and driver, call this.
import { flushSync, mount, unmount, type Component } from 'svelte';
import type { Schema, Values } from '../../src/settings/schema.ts';
import { LangWatcher } from '../ui/i18n.svelte.ts';
import { ensureKatexFonts } from '../ui/katex.ts';
import { SCHEME_CONTEXT, SchemeWatcher } from '../ui/scheme.svelte.ts';
import type { BaseMetrics, MountContext, WidgetController } from './element.ts';
import Shell from './Shell.svelte';

/** What a widget does when the page script or the reader asks; async methods may settle later. */
export interface WidgetDriver<V> {
  play(): void;
  pause(): void;
  reset(): void | Promise<void>;
  step(n: number): void | Promise<void>;
  update(values: V): void | Promise<void>;
  destroy(): void;
}

export interface WidgetParts<S extends Schema, P extends Record<string, unknown>> {
  view: Component<P & { lang: LangWatcher }>;
  props: P;
  driver: WidgetDriver<Values<S>>;
  /** read inside an effect: whatever it reads re-publishes the metrics when it changes */
  metrics: () => BaseMetrics;
  /** the current settings, for the embed menu */
  settings: () => Values<S>;
}

export function mountWidget<S extends Schema, P extends Record<string, unknown>>(
  target: HTMLElement,
  ctx: MountContext<S>,
  parts: (lang: LangWatcher) => WidgetParts<S, P>,
): WidgetController {
  ensureKatexFonts();
  const lang = new LangWatcher(ctx.host);
  const scheme = new SchemeWatcher(ctx.host);
  const { view, props, driver, metrics, settings } = parts(lang);
  const app = mount(Shell, {
    target,
    context: new Map([[SCHEME_CONTEXT, scheme]]),
    props: {
      view: view as Component<Record<string, unknown>>,
      props: { ...props, lang },
      lang,
      tag: ctx.tag,
      schema: ctx.schema,
      settings: settings as () => Values<Schema>,
      height: ctx.minHeight,
    },
  });
  const stopEffects = $effect.root(() => {
    $effect(() => ctx.publish(metrics()));
  });
  // Scripting calls flush at once so `element.metrics` already shows their effect when the call returns.
  return {
    play: () => flushSync(() => driver.play()),
    pause: () => flushSync(() => driver.pause()),
    reset: () => void flushSync(() => driver.reset()),
    step: async (n) => {
      await driver.step(Math.max(0, Math.floor(n)));
      flushSync();
    },
    update: (values) => void driver.update(values as Values<S>),
    destroy: () => {
      stopEffects();
      driver.destroy();
      lang.dispose();
      scheme.dispose();
      void unmount(app);
    },
  };
}
