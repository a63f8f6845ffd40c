// <rnn-gradients> in headless Chromium: (1) the time to recompute every gradient view for T = 200, H = 64 and three
// cells (what the page does on each slider move; read from the widget's metrics.computeMs), idle and while a slider is
// dragged with the mouse, with the frames per second drawn during the drag; (2) training steps per second of the
// memory task (T = 100, the widget's defaults) per backend, with the page's frame rate meanwhile.
import type { Browser } from 'playwright-core';
import { measure, PERF_PROBE, type RunFigures } from './training.ts';

interface Metrics { computeMs: number; length: number; step: number; status: string }
const read = () => (el: Element) => ({ ...(el as unknown as { metrics: Metrics }).metrics });

export interface ViewFigures {
  /** recompute with the full σ₁ budget, one setting changed at a time: median, 90th percentile, worst, samples */
  settledMedianMs: number;
  settledP90Ms: number;
  settledMaxMs: number;
  settledRuns: number;
  /** median recompute while dragging (the lighter σ₁ budget), and the answers that arrived during the drag */
  dragMedianMs: number;
  dragRuns: number;
  dragFramesPerSecond: number;
  longestFrameGapMs: number;
}

/** the q-quantile by the nearest-rank rule (q = 0.5: the median) */
const quantile = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(q * a.length) - 1)] ?? Number.NaN;
/** the target for one full recompute of T = 200, H = 64, three cells */
export const RECOMPUTE_TARGET_MS = 50;

export async function benchRnnViews(browser: Browser, url: string): Promise<ViewFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addInitScript(PERF_PROBE);
  const page = await context.newPage();
  await page.goto(`${url}/widgets/rnn-gradients.html#length=200&hidden-size=64`);
  // the first answer from the analysis worker: until then the views (and computeMs) are empty
  await page.waitForFunction(() => Number.isFinite((document.querySelector('rnn-gradients') as unknown as { metrics?: Metrics })?.metrics?.computeMs), null, { timeout: 60_000 });
  const slider = page.locator('rnn-gradients').getByRole('slider', { name: /ρ/ });
  // settled: one key press = one committed change = one full recompute. Each answer is read once, when it arrives
  // (a new computeMs): reading a fixed two frames after each press instead counted a slow answer as often as it
  // stayed the latest, and pressed again while it was still computing.
  const settled: number[] = [];
  await slider.focus();
  for (let i = 0; i < 24; i++) {
    const before = (await page.$eval('rnn-gradients', read())).computeMs;
    await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
    const answered = await page.waitForFunction((b) => (document.querySelector('rnn-gradients') as unknown as { metrics: Metrics }).metrics.computeMs !== b, before, { timeout: 10_000 })
      .then(() => true, () => false);
    if (answered) settled.push((await page.$eval('rnn-gradients', read())).computeMs);
  }
  // dragging: the mouse holds the thumb and sweeps the track for a few seconds
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.evaluate(() => Object.assign((window as never as { __perf: object }).__perf, { frames: 0, gap: 0, longest: 0, last: 0 }));
  // every answer that arrives during the drag, once each
  const drag: number[] = [];
  let last = (await page.$eval('rnn-gradients', read())).computeMs;
  const t0 = Date.now();
  for (let i = 0; Date.now() - t0 < 4000; i++) {
    await page.mouse.move(box.x + box.width * (0.3 + 0.4 * Math.abs(Math.sin(i / 20))), y);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const ms = (await page.$eval('rnn-gradients', read())).computeMs;
    if (ms !== last) drag.push((last = ms));
  }
  const dt = (Date.now() - t0) / 1000;
  const perf = await page.evaluate(() => (window as never as { __perf: { frames: number; gap: number } }).__perf);
  await page.mouse.up();
  await context.close();
  return {
    settledMedianMs: quantile(settled, 0.5), settledP90Ms: quantile(settled, 0.9), settledMaxMs: Math.max(...settled),
    settledRuns: settled.length, dragMedianMs: quantile(drag, 0.5), dragRuns: drag.length,
    dragFramesPerSecond: perf.frames / dt, longestFrameGapMs: perf.gap,
  };
}

export async function benchRnnTraining(browser: Browser, url: string, backend: string, seconds: number, cells = 'rnn-tanh,lstm,gru'): Promise<RunFigures & { backend: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addInitScript(PERF_PROBE);
  const page = await context.newPage();
  await page.goto(`${url}/widgets/rnn-gradients.html#mode=train&backend=${backend}&cells=${cells}`);
  await page.waitForFunction(() => ((document.querySelector('rnn-gradients') as unknown as { metrics?: Metrics })?.metrics?.step ?? 0) >= 3, null, { timeout: 180_000 });
  const steps = () => page.evaluate(() => (document.querySelector('rnn-gradients') as unknown as { metrics: Metrics }).metrics.step);
  const figures = await measure(page, steps, seconds);
  const running = await page.evaluate(() => (document.querySelector('rnn-gradients')!.shadowRoot!.querySelector('.chip strong')?.textContent ?? '?'));
  await context.close();
  return { ...figures, backend: running };
}

export interface LearnFigures {
  /** per sample: seconds since the first step, the step, and each cell's held-out accuracy */
  samples: { seconds: number; step: number; accuracy: number[] }[];
  cells: string[];
  backend: string;
  /** seconds until the LSTM first reached 85 % on the held-out batch (NaN: not within the time) */
  lstmAt85: number;
}

/** The article's training figure as a reader gets it: T = 100, the widget's defaults, trained for `seconds`. */
export async function benchRnnLearning(browser: Browser, url: string, seconds = 120, cells = 'rnn-tanh,lstm'): Promise<LearnFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${url}/widgets/rnn-gradients.html#mode=train&cells=${cells}`);
  const read = () => page.evaluate(() => {
    const m = (document.querySelector('rnn-gradients') as unknown as { metrics: { step: number; accuracy: number[]; cells: string[] } }).metrics;
    return { step: m.step, accuracy: [...m.accuracy] };
  });
  await page.waitForFunction(() => ((document.querySelector('rnn-gradients') as unknown as { metrics?: { step: number } })?.metrics?.step ?? 0) >= 1, null, { timeout: 120_000 });
  const t0 = Date.now();
  const samples: LearnFigures['samples'] = [];
  const lstm = cells.split(',').indexOf('lstm');
  let lstmAt85 = Number.NaN;
  while (Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(5000);
    const r = await read();
    const s = { seconds: (Date.now() - t0) / 1000, ...r };
    samples.push(s);
    if (Number.isNaN(lstmAt85) && lstm >= 0 && r.accuracy[lstm] >= 0.85) lstmAt85 = s.seconds;
  }
  const backend = await page.evaluate(() => document.querySelector('rnn-gradients')!.shadowRoot!.querySelector('.chip strong')?.textContent ?? '?');
  await page.screenshot({ path: 'test-output/bench-rnn-learning.png', fullPage: true });
  await context.close();
  return { samples, cells: cells.split(','), backend, lstmAt85 };
}
