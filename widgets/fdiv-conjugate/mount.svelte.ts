// Mounts <fdiv-conjugate>. "Play" animates the tangent point across the u axis, one step per animation frame;
// step(n) advances the same sweep n frames.
import type { ConjugateSettings, fdivConjugateSchema } from '../../src/settings/fdiv-conjugate.ts';
import type { MountContext, WidgetController } from '../core/element.ts';
import { mountWidget } from '../core/mount.svelte.ts';
import Conjugate from './Conjugate.svelte';
import { ConjugateState } from './state.svelte.ts';

export function mount(target: HTMLElement, ctx: MountContext<typeof fdivConjugateSchema>): WidgetController {
  const state = new ConjugateState(ctx.values);
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
  const reset = () => {
    pause();
    state.reset();
  };
  const step = (n: number) => {
    pause();
    state.advance(n);
  };
  return mountWidget(target, ctx, () => ({
    view: Conjugate,
    props: {
      s: state, onplay: play, onpause: pause, onstep: () => step(10), onreset: reset,
      onedit: () => ctx.settingsChanged(state.settings()),
    },
    driver: { play, pause, reset, step, update: (v: ConjugateSettings) => state.setInitial(v), destroy: pause },
    metrics: () => state.metrics,
    settings: () => state.settings(),
  }));
}
