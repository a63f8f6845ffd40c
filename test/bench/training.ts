// Training benchmark in headless Chromium: <fgan-lab>'s default configuration on each backend against the naive
// baseline (main-thread loop, minimize() twice per step, a blocking read per step), measured in the same run.
// Figures: generator steps per second, frames per second drawn, longest main-thread task and longest frame gap. Also
// the trainer's step alone (no worker, no drawing) per update scheme: kernels and time per step.
import type { Browser, Page } from 'playwright-core';

export interface RunFigures {
  stepsPerSecond: number;
  framesPerSecond: number;
  /** longest task reported by the Long Tasks API (only tasks ≥ 50 ms are reported; 0: none) */
  longestTaskMs: number;
  /** longest gap between two animation frames: a ceiling on every main-thread task, including those < 50 ms */
  longestFrameGapMs: number;
}

/** Injected before any page script: counts frames and records long tasks, resettable by the bench. */
export const PERF_PROBE = `
  window.__perf = { frames: 0, gap: 0, longest: 0, last: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__perf.longest = Math.max(window.__perf.longest, e.duration);
  }).observe({ type: 'longtask', buffered: false });
  const tick = (t) => {
    const p = window.__perf;
    if (p.last) p.gap = Math.max(p.gap, t - p.last);
    p.last = t; p.frames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

export async function measure(page: Page, readSteps: () => Promise<number>, seconds: number): Promise<RunFigures> {
  await page.evaluate(() => Object.assign((window as never as { __perf: object }).__perf, { frames: 0, gap: 0, longest: 0, last: 0 }));
  const s0 = await readSteps();
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const s1 = await readSteps();
  const dt = (Date.now() - t0) / 1000;
  const perf = await page.evaluate(() => (window as never as { __perf: { frames: number; gap: number; longest: number } }).__perf);
  return { stepsPerSecond: (s1 - s0) / dt, framesPerSecond: perf.frames / dt, longestTaskMs: perf.longest, longestFrameGapMs: perf.gap };
}

export async function benchLab(browser: Browser, url: string, backend: string, seconds: number): Promise<RunFigures & { backend: string; dataFramesPerSecond: number; longestDataGapMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addInitScript(PERF_PROBE);
  const page = await context.newPage();
  await page.goto(`${url}/widgets/fgan-lab.html#backend=${backend}`);
  const read = () => page.$eval('fgan-lab', (el) => (el as unknown as { metrics: { step: number } }).metrics.step);
  await page.waitForFunction(() => ((document.querySelector('fgan-lab') as unknown as { metrics: { step: number } }).metrics.step ?? 0) > 200, null, { timeout: 120_000 });
  const running = await page.$eval('fgan-lab', (el) => (el as unknown as { metrics: { backend: string } }).metrics.backend);
  // Frames of data (a 'metrics' event per frame the worker sends), as against frames drawn: how often the samples move
  await page.evaluate(() => {
    const w = window as never as { __data: number[] };
    w.__data = [];
    document.querySelector('fgan-lab')!.addEventListener('metrics', () => w.__data.push(performance.now()));
  });
  const figures = await measure(page, read, seconds);
  const times = await page.evaluate(() => (window as never as { __data: number[] }).__data);
  await context.close();
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  return {
    ...figures, backend: running,
    dataFramesPerSecond: times.length / seconds, longestDataGapMs: gaps.length ? Math.max(...gaps) : Number.NaN,
  };
}

export async function benchBaseline(browser: Browser, url: string, backend: string, seconds: number): Promise<RunFigures & { backend: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addInitScript(PERF_PROBE);
  const page = await context.newPage();
  await page.goto(`${url}/bench/index.html?backend=${backend}`);
  const read = () => page.evaluate(() => (window as never as { __baseline: { steps: number } }).__baseline.steps);
  await page.waitForFunction(() => ((window as never as { __baseline?: { steps: number } }).__baseline?.steps ?? 0) > 30, null, { timeout: 120_000 });
  const running = await page.evaluate(() => (window as never as { __baseline: { backend: string } }).__baseline.backend);
  const figures = await measure(page, read, seconds);
  await context.close();
  return { ...figures, backend: running };
}

export interface TrainerStepFigures {
  backend: string;
  schemes: { mode: string; kernels: number; msPerStep: number }[];
}

/** The trainer's step alone in the page (test/bench/baseline/trainer.ts): kernels and ms per step per update scheme. */
export async function benchTrainerStep(browser: Browser, url: string, backend: string): Promise<TrainerStepFigures> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/bench/trainer.html?backend=${backend}`);
  await page.waitForFunction(() => (window as never as { __trainer?: object }).__trainer, null, { timeout: 300_000 });
  const figures = await page.evaluate(() => (window as never as { __trainer: TrainerStepFigures }).__trainer);
  await context.close();
  return figures;
}
