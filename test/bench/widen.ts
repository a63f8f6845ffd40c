// Benchmarks of <transformer-widen> in headless Chromium: widening and comparing the default model on the main
// thread (float64, the figure's metrics.widenMs and overviewMs, as the reader changes the method), and one training
// step of "keep training both" (the widened model and the wide model from scratch, at k = 2) per backend.
import type { Browser, Page } from 'playwright-core';
import { WIDEN_METHODS } from '../../src/math/widen-map.ts';

interface WidenMetrics { method: string; widenMs: number; overviewMs: number; step: number; backend: string | null; status: string }

const metrics = (page: Page) => page.$eval('transformer-widen', (el) => ({ ...(el as unknown as { metrics: WidenMetrics }).metrics }));

async function open(browser: Browser, url: string, hash: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${url}/widgets/transformer-widen.html#${hash}`);
  await page.waitForFunction(() => document.querySelector('transformer-widen')?.shadowRoot?.querySelector('canvas'), null, { timeout: 60_000 });
  return page;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** ms to widen + compare the current method, and ms to do it for all eight (the overview), over `rounds` passes
 * through every method at factor 2 (the first pass warms the JIT up and is not counted). */
export async function benchWidenCompare(browser: Browser, url: string, rounds = 3): Promise<{ one: number[]; all: number[] }> {
  const page = await open(browser, url, 'factor=2');
  const one: number[] = [];
  const all: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    for (const method of WIDEN_METHODS) {
      await page.$eval('transformer-widen', (el, m) => el.setAttribute('method', m), method);
      await page.waitForFunction((m) => (document.querySelector('transformer-widen') as unknown as { metrics: WidenMetrics }).metrics.method === m, method);
      const m = await metrics(page);
      if (r > 0) { one.push(m.widenMs); all.push(m.overviewMs); }
      // a new seed changes nothing for su but makes the overview recompute too
      await page.$eval('transformer-widen', (el, s) => el.setAttribute('seed', String(s)), r * 100 + one.length);
    }
  }
  await page.context().close();
  return { one, all };
}

/** ms per training step of both wide models (k = 2), after a warm-up, on one backend. */
export async function benchWideStep(browser: Browser, url: string, backend: string, steps = 30): Promise<{ backend: string; msPerStep: number }> {
  const page = await open(browser, url, `backend=${backend}`);
  const stepBy = (n: number) => page.$eval('transformer-widen', async (el, n) => {
    const t0 = performance.now();
    await (el as unknown as { step(n: number): Promise<void> }).step(n);
    return performance.now() - t0;
  }, n);
  await stepBy(5);
  const ms = await stepBy(steps);
  const m = await metrics(page);
  await page.context().close();
  return { backend: m.backend ?? backend, msPerStep: ms / steps };
}

export { median };
