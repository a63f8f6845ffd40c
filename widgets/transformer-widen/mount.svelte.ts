// Mounts <transformer-widen>: fetches the shipped small model, then its state, the shared task controller driving
// the worker's "keep training both", and the root view. The comparison itself needs no worker (state.svelte.ts).
import type { transformerWidenSchema, WidenSettings } from '../../src/settings/transformer-widen.ts';
import type { MountContext, WidgetController } from '../core/element.ts';
import { mountWidget } from '../core/mount.svelte.ts';
import { TaskController } from '../core/task-controller.svelte.ts';
import Widen from './Widen.svelte';
import { WidenState } from './state.svelte.ts';
import { widenTaskSpec } from './task.ts';
import { loadSmallModel } from './weights.ts';

export async function mount(target: HTMLElement, ctx: MountContext<typeof transformerWidenSchema>): Promise<WidgetController> {
  const { file, weights } = await loadSmallModel();
  const state = new WidenState(ctx.values, file, weights);
  const controller = new TaskController(state, widenTaskSpec(file), ctx.host);
  const change = (next: WidenSettings) => {
    void controller.update(next);
    ctx.settingsChanged(next);
  };
  return mountWidget(target, ctx, () => ({
    view: Widen,
    props: {
      s: state,
      onplay: () => controller.play(),
      onpause: () => controller.pause(),
      // one step of a 5k-parameter model barely moves a curve: the step button trains ten
      onstep: () => void controller.step(10),
      onreset: () => void controller.reset(),
      onsetting: <K extends keyof WidenSettings>(key: K, value: WidenSettings[K]) => change({ ...state.settings, [key]: value }),
    },
    driver: controller,
    metrics: () => state.metrics,
    settings: () => state.settings,
  }));
}
