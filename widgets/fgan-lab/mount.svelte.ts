// Mounts <fgan-lab> into its shadow root and adapts the controller to the element's scripting API.
import { flushSync, mount as mountSvelte, unmount } from 'svelte';
import type { MountContext, WidgetController } from '../core/element.ts';
import { formatPoints, type Values } from '../core/settings.ts';
import { LangWatcher } from '../ui/i18n.svelte.ts';
import { ensureKatexFonts } from '../ui/katex.ts';
import { FganLabController } from './controller.svelte.ts';
import FganLab from './FganLab.svelte';
import type { fganSchema } from './schema.ts';
import { FganLabState, type FganSettings } from './state.svelte.ts';

type Schema = typeof fganSchema;

export function mount(target: HTMLElement, ctx: MountContext<Schema>): WidgetController {
  ensureKatexFonts();
  const state = new FganLabState(ctx.values as FganSettings);
  const controller = new FganLabController(state, ctx.host);
  const lang = new LangWatcher(ctx.host);

  const change = (next: FganSettings) => {
    void controller.update(next);
    ctx.settingsChanged(next as Values<Schema>);
  };

  const app = mountSvelte(FganLab, {
    target,
    props: {
      s: state,
      lang,
      onplay: () => controller.play(),
      onpause: () => controller.pause(),
      onstep: () => void controller.step(1),
      onreset: () => void controller.reset(),
      onsetting: <K extends keyof FganSettings>(key: K, value: FganSettings[K]) => change({ ...state.settings, [key]: value }),
      ondraw: (points: [number, number][]) => change({ ...state.settings, target: 'drawn', points: formatPoints(points) }),
    },
  });

  const stopEffects = $effect.root(() => {
    $effect(() => ctx.publish(state.metrics));
  });

  return {
    play: () => flushSync(() => controller.play()),
    pause: () => flushSync(() => controller.pause()),
    reset: () => void controller.reset(),
    step: async (n) => {
      await controller.step(Math.max(0, Math.floor(n)));
      flushSync();
    },
    update: (values) => void controller.update(values as FganSettings),
    destroy: () => {
      stopEffects();
      controller.destroy();
      lang.dispose();
      void unmount(app);
    },
  };
}
