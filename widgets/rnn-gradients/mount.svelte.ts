// Mounts <rnn-gradients>: its state, the shared task controller (used by the training view only) and the root view.
// Slider previews touch only the state's `live` values (the gradient views follow the pointer); settled values go
// through the controller like every other setting.
import type { rnnGradientsSchema } from '../../src/settings/rnn-gradients.ts';
import type { MountContext, WidgetController } from '../core/element.ts';
import { mountWidget } from '../core/mount.svelte.ts';
import { TaskController } from '../core/task-controller.svelte.ts';
import RnnGradients from './RnnGradients.svelte';
import { RnnState, type RnnSettings } from './state.svelte.ts';
import { AnalysisClient } from './analysis.ts';
import { rnnTaskSpec } from './task.ts';

export function mount(target: HTMLElement, ctx: MountContext<typeof rnnGradientsSchema>): WidgetController {
  const state = new RnnState(ctx.values);
  const controller = new TaskController(state, rnnTaskSpec, ctx.host);
  const analysis = new AnalysisClient((result) => {
    if ('error' in result) {
      state.analysisError = result.error;
      return;
    }
    state.analysisError = null;
    state.report = { cells: result.cells };
    state.computeMs = result.ms;
  });
  // the one effect that talks to the analysis worker: new settings (or a drag starting or ending) → a request
  const stopAnalysis = $effect.root(() => {
    $effect(() => {
      const { settings, opts } = state.analysisInput;
      analysis.request($state.snapshot(settings) as typeof settings, opts);
    });
  });
  const change = (next: RnnSettings) => {
    state.live = {};
    void controller.update(next);
    ctx.settingsChanged(next);
  };
  return mountWidget(target, ctx, () => ({
    view: RnnGradients,
    props: {
      s: state,
      onplay: () => controller.play(),
      onpause: () => controller.pause(),
      onstep: () => void controller.step(1),
      onreset: () => void controller.reset(),
      onsetting: <K extends keyof RnnSettings>(key: K, value: RnnSettings[K]) => change({ ...state.settings, [key]: value }),
      onpreview: <K extends keyof RnnSettings>(key: K, value: RnnSettings[K]) => {
        const { [key]: _, ...rest } = state.live;
        state.live = Object.is(state.settings[key], value) ? rest : { ...rest, [key]: value };
      },
    },
    driver: {
      play: () => controller.play(),
      pause: () => controller.pause(),
      reset: () => controller.reset(),
      step: (n: number) => controller.step(n),
      update: (values: RnnSettings) => { state.live = {}; return controller.update(values); },
      destroy: () => {
        stopAnalysis();
        analysis.destroy();
        controller.destroy();
      },
    },
    metrics: () => state.metrics,
    settings: () => state.settings,
  }));
}
