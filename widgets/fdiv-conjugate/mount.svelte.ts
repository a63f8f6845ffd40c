// Mounts <fdiv-conjugate> into its shadow root and adapts it to the element's scripting API. "Play" animates the
// tangent point across the u axis, one step per animation frame; step(n) advances the same sweep n frames.
import { flushSync, mount as mountSvelte, unmount } from 'svelte';
import type { MountContext, WidgetController } from '../core/element.ts';
import type { Values } from '../core/settings.ts';
import { LangWatcher } from '../ui/i18n.svelte.ts';
import { ensureKatexFonts } from '../ui/katex.ts';
import Conjugate from './Conjugate.svelte';
import type { conjugateSchema } from './schema.ts';
import { ConjugateState } from './state.svelte.ts';

type Schema = typeof conjugateSchema;

export function mount(target: HTMLElement, ctx: MountContext<Schema>): WidgetController {
  ensureKatexFonts();
  const state = new ConjugateState(ctx.values);
  const lang = new LangWatcher(ctx.host);
  let frame = 0;

  const loop = () => {
    state.advance();
    frame = requestAnimationFrame(loop);
  };
  const play = () => {
    if (state.status === 'playing') return;
    state.status = 'playing';
    frame = requestAnimationFrame(loop);
  };
  const pause = () => {
    cancelAnimationFrame(frame);
    if (state.status === 'playing') state.status = 'paused';
  };

  const app = mountSvelte(Conjugate, {
    target,
    props: {
      s: state, lang, onplay: play, onpause: pause,
      onstep: () => { pause(); state.advance(10); },
      onreset: () => { pause(); state.reset(); },
      onedit: () => ctx.settingsChanged(state.settings() as Values<Schema>),
    },
  });

  const stopEffects = $effect.root(() => {
    $effect(() => ctx.publish(state.metrics));
  });

  // Scripting calls flush at once so `element.metrics` already shows their effect when the call returns.
  return {
    play: () => flushSync(play),
    pause: () => flushSync(pause),
    reset: () => flushSync(() => { pause(); state.reset(); }),
    step: async (n) => flushSync(() => {
      pause();
      state.advance(Math.max(0, Math.floor(n)));
    }),
    update: (values) => state.setInitial(values as Values<Schema>),
    destroy: () => {
      pause();
      stopEffects();
      lang.dispose();
      void unmount(app);
    },
  };
}
