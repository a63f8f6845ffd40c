// Mounts <fgan-lab>: its state, the shared task controller driving the worker, and the root view.
import { fganLabSchema } from '../../src/settings/fgan-lab.ts';
import { formatPoints, withDependentDefaults } from '../../src/settings/schema.ts';
import type { MountContext, WidgetController } from '../core/element.ts';
import { mountWidget } from '../core/mount.svelte.ts';
import { TaskController } from '../core/task-controller.svelte.ts';
import FganLab from './FganLab.svelte';
import { FganLabState, type FganSettings } from './state.svelte.ts';
import { fganTaskSpec } from './task.ts';

export function mount(target: HTMLElement, ctx: MountContext<typeof fganLabSchema>): WidgetController {
  const state = new FganLabState(ctx.values);
  const controller = new TaskController(state, fganTaskSpec, ctx.host);
  const change = (requested: FganSettings) => {
    // a new divergence brings the learning rates, critic steps and clipping measured for it, unless changed by hand
    const next = withDependentDefaults(fganLabSchema, state.settings, requested);
    void controller.update(next);
    ctx.settingsChanged(next);
  };
  return mountWidget(target, ctx, () => ({
    view: FganLab,
    props: {
      s: state,
      onplay: () => controller.play(),
      onpause: () => controller.pause(),
      onstep: () => void controller.step(1),
      onreset: () => void controller.reset(),
      onsetting: <K extends keyof FganSettings>(key: K, value: FganSettings[K]) => change({ ...state.settings, [key]: value }),
      ondraw: (points: [number, number][]) => change({ ...state.settings, target: 'drawn', points: formatPoints(points) }),
    },
    driver: controller,
    metrics: () => state.metrics,
    settings: () => state.settings,
  }));
}
