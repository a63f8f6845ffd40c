// Mounts <fgan-fit>: its state, the exact side's worker (exact.ts, float64 quadrature, follows a slider while it is
// dragged), the shared task controller for the adversarial side, and the root view. Slider previews touch only
// `state.live`; settled values go through the controller like every other setting (a new run).
import type { fganFitSchema } from '../../src/settings/fgan-fit.ts';
import type { MountContext, WidgetController } from '../core/element.ts';
import { mountWidget } from '../core/mount.svelte.ts';
import { TaskController } from '../core/task-controller.svelte.ts';
import { ExactClient } from './exact.ts';
import FganFit from './FganFit.svelte';
import { FitState, type FganFitSettings } from './state.svelte.ts';
import { fitTaskSpec } from './task.ts';

export function mount(target: HTMLElement, ctx: MountContext<typeof fganFitSchema>): WidgetController {
  const state = new FitState(ctx.values);
  const controller = new TaskController(state, fitTaskSpec, ctx.host);
  const exact = new ExactClient((reply, asked) => state.receiveExact(reply, asked));
  const stopExact = $effect.root(() => {
    $effect(() => exact.request($state.snapshot(state.exactRequest) as typeof state.exactRequest));
  });
  const change = (next: FganFitSettings) => {
    state.live = {};
    void controller.update(next);
    ctx.settingsChanged(next);
  };
  // ▶ on a finished run trains again from the start: the result is the state at the last step, so "more steps"
  // would be another experiment (a longer run length)
  const play = () => (state.finished ? void controller.reset().then(() => controller.play()) : controller.play());
  return mountWidget(target, ctx, () => ({
    view: FganFit,
    props: {
      s: state,
      onplay: play,
      onpause: () => controller.pause(),
      onstep: () => void controller.step(1),
      onreset: () => void controller.reset(),
      onsetting: <K extends keyof FganFitSettings>(key: K, value: FganFitSettings[K]) => change({ ...state.settings, [key]: value }),
      onsettings: (values: Partial<FganFitSettings>) => change({ ...state.settings, ...values }),
      onpreview: <K extends keyof FganFitSettings>(key: K, value: FganFitSettings[K]) => {
        const { [key]: _, ...rest } = state.live;
        state.live = Object.is(state.settings[key], value) ? rest : { ...rest, [key]: value };
      },
    },
    driver: {
      play,
      pause: () => controller.pause(),
      reset: () => controller.reset(),
      step: (n: number) => controller.step(n),
      update: (values: FganFitSettings) => { state.live = {}; return controller.update(values); },
      destroy: () => {
        stopExact();
        exact.destroy();
        controller.destroy();
      },
    },
    metrics: () => state.metrics,
    settings: () => state.settings,
  }));
}
