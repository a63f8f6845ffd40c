// <fgan-lab> in real Chromium: the scripting API, reproducible runs, the reader's controls (keyboard and mouse),
// drawing a target, a diverging run that pauses itself and recovers, four labs on one page, pause when offscreen.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, useBrowser } from './harness.ts';

const env = useBrowser();

interface Metrics {
  step: number; divergence: string; criticLoss: number; generatorLoss: number; bound: number;
  trueDivergence: number; stepsPerSecond: number; backend: string | null; status: string;
}

const metrics = (page: Page, sel = 'fgan-lab') =>
  page.$eval(sel, (el) => ({ ...(el as unknown as { metrics: Record<string, unknown> }).metrics })) as unknown as Promise<Metrics>;

/** Runs `step(n)` on the element and returns its metrics afterwards. */
const stepLab = (page: Page, n: number, sel = 'fgan-lab') =>
  page.$eval(sel, async (el, n) => {
    await (el as unknown as { step(n: number): Promise<void> }).step(n);
    return { ...(el as unknown as { metrics: Record<string, unknown> }).metrics };
  }, n) as unknown as Promise<Metrics>;

const waitFor = (page: Page, sel: string, cond: string) =>
  page.waitForFunction(([s, c]) => {
    const m = (document.querySelector(s) as unknown as { metrics?: Record<string, unknown> })?.metrics;
    return m ? new Function('m', `return ${c}`)(m) : false;
  }, [sel, cond] as const, { timeout: 60_000 });

async function openLab(hash: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const context = await env.browser.newContext({ viewport: { width, height: 1000 } });
  const watched = await openPage(context, `${env.url}/widgets/fgan-lab.html#${hash}`);
  await watched.page.waitForFunction(() => document.querySelector('fgan-lab')?.shadowRoot?.querySelector('canvas'));
  return watched;
}

describe('<fgan-lab> scripting API', () => {
  it('steps, plays, pauses and resets; metrics are finite and named', async () => {
    const { page, problems } = await openLab('backend=wasm&autoplay=false');
    let m = await stepLab(page, 40);
    expect(m.step).toBe(40);
    expect(m.status).toBe('paused');
    expect(m.backend).toBe('wasm');
    expect(m.divergence).toBe('js');
    for (const k of ['criticLoss', 'generatorLoss', 'bound'] as const) expect(Number.isFinite(m[k])).toBe(true);
    const events = await page.$eval('fgan-lab', (el) => new Promise<number>((resolve) => {
      let n = 0;
      el.addEventListener('metrics', () => { if (++n === 5) resolve(n); });
      (el as unknown as { play(): void }).play();
    }));
    expect(events).toBe(5);
    await waitFor(page, 'fgan-lab', 'm.step > 200 && m.status === "training" && m.stepsPerSecond > 0');
    await page.$eval('fgan-lab', (el) => (el as unknown as { pause(): void }).pause());
    await waitFor(page, 'fgan-lab', 'm.status === "paused"');
    m = await metrics(page);
    expect(m.stepsPerSecond).toBe(0);
    await page.$eval('fgan-lab', (el) => (el as unknown as { reset(): void }).reset());
    await waitFor(page, 'fgan-lab', 'm.step === 0');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the same seed on the same backend reproduces the same run', async () => {
    const runs: Metrics[] = [];
    for (let i = 0; i < 2; i++) {
      const { page, problems } = await openLab('backend=cpu&autoplay=false&seed=7&batch-size=64');
      runs.push(await stepLab(page, 60));
      expect(problems).toEqual([]);
      await page.context().close();
    }
    expect(runs[0].criticLoss).toBe(runs[1].criticLoss);
    expect(runs[0].generatorLoss).toBe(runs[1].generatorLoss);
    expect(runs[0].bound).toBe(runs[1].bound);
  });

  it('a run with a learning rate far too high pauses itself, says why, and recovers with reset', async () => {
    const { page, problems } = await openLab('backend=cpu&autoplay=false&g-optimizer=sgd&d-optimizer=sgd&g-lr=1&d-lr=1');
    await page.$eval('fgan-lab', (el) => (el as unknown as { play(): void }).play());
    await waitFor(page, 'fgan-lab', 'm.status === "diverged"');
    const alert = await page.$eval('fgan-lab', (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
    expect(alert.toLowerCase()).toContain('learning rate');
    await page.screenshot({ path: screenshotPath('fgan-lab-diverged') });
    // Lower the rates through the hash (as a share link would) and the lab starts a clean run.
    await page.evaluate(() => (location.hash = '#backend=cpu&autoplay=false&divergence=kl'));
    await waitFor(page, 'fgan-lab', 'm.status === "paused" && m.step === 0');
    const m = await stepLab(page, 30);
    expect(m.status).toBe('paused');
    expect(Number.isFinite(m.criticLoss)).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('<fgan-lab> stops a run that breaks down while every number is still finite', () => {
  for (const [hash, verdict] of [
    ['divergence=kl&d-optimizer=sgd&d-lr=1', /losses are exploding/],
    ['divergence=pearson&d-optimizer=sgd&d-lr=1&g-optimizer=sgd&g-lr=1', /ran away from the data|critic is saturated|exploding/],
  ] as const) {
    it(`#${hash}`, async () => {
      const { page, problems } = await openLab(`backend=wasm&autoplay=false&${hash}`);
      await page.$eval('fgan-lab', (el) => (el as unknown as { play(): void }).play());
      await waitFor(page, 'fgan-lab', 'm.status === "diverged"');
      const m = await metrics(page);
      expect(m.step).toBeLessThan(3000);
      const alert = await page.$eval('fgan-lab', (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
      expect(alert).toMatch(verdict);
      expect(alert).toContain('Training broke down');
      // Changing a setting after the stop starts a new run, as it does while training.
      await page.$eval('fgan-lab', (el) => el.setAttribute('d-lr', '0.0003'));
      await waitFor(page, 'fgan-lab', 'm.status === "training" && m.step > 0');
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }
});

/** The bound chart (the second chart): its dashed D_f path's last point, the plot's top edge, and whether any
 * axis label sticks out of the svg on the left. */
const boundChart = (page: Page) => page.$eval('fgan-lab', (el) => {
  const svg = el.shadowRoot!.querySelectorAll('.curves svg')[1] as SVGSVGElement;
  const dashed = svg.querySelector('path[stroke-dasharray]')?.getAttribute('d') ?? '';
  const ys = [...dashed.matchAll(/[ML,]([-\d.e+]+),([-\d.e+]+)/g)].map((m) => Number(m[2]));
  const rect = svg.querySelector('clipPath rect')!;
  const left = svg.getBoundingClientRect().left;
  const clipped = [...svg.querySelectorAll('.axis text')].some((t) => t.getBoundingClientRect().left < left - 0.5);
  return { d: dashed, lastY: ys.at(-1) ?? NaN, top: Number(rect.getAttribute('y')), clipped };
});

describe('<fgan-lab> charts never hide the numbers', () => {
  it('the bound chart shows the D_f estimate from the first steps (KL, default seed)', async () => {
    const { page, problems } = await openLab('backend=wasm&speed=300&divergence=kl');
    await waitFor(page, 'fgan-lab', 'm.step >= 350');
    await page.$eval('fgan-lab', (el) => (el as unknown as { pause(): void }).pause());
    await waitFor(page, 'fgan-lab', 'm.status === "paused"');
    const m = await metrics(page);
    expect(m.trueDivergence).toBeGreaterThan(1); // the estimate is still high this early…
    const chart = await boundChart(page);
    expect(chart.lastY).toBeGreaterThanOrEqual(chart.top); // the estimate's point is inside the plot
    expect(problems).toEqual([]);
    await page.context().close();
  });

  for (const hash of ['divergence=pearson', 'divergence=alpha&alpha=2', 'divergence=kl&d-optimizer=sgd&d-lr=1']) {
    it(`#${hash}: huge or non-finite values make gaps, not malformed paths; axis labels fit`, async () => {
      const { page, problems } = await openLab(`backend=wasm&speed=400&${hash}`);
      await waitFor(page, 'fgan-lab', 'm.step >= 600 || m.status === "diverged"');
      await page.$eval('fgan-lab', (el) => (el as unknown as { pause(): void }).pause());
      const chart = await boundChart(page);
      expect(chart.d).toMatch(/^M/);
      expect(chart.clipped).toBe(false);
      expect(problems).toEqual([]); // an unparsable path would log "attribute d: Expected number"
      await page.context().close();
    });
  }
});

describe('<fgan-lab> changed while it trains', () => {
  it('learning rates, critic steps, λ, objective and clipping apply to the running run; the divergence restarts it', async () => {
    const { page, problems } = await openLab('backend=wasm');
    await waitFor(page, 'fgan-lab', 'm.status === "training" && m.step > 100');
    const before = (await metrics(page)).step;
    for (const [a, v] of [['d-lr', '0.0005'], ['g-lr', '0.002'], ['critic-steps', '2'], ['generator-objective', 'saturating'], ['grad-clip', '10'], ['lambda', '2']]) {
      await page.$eval('fgan-lab', (el, [a, v]) => el.setAttribute(a, v), [a, v]);
    }
    // no restart: the step count goes on from where it was
    await waitFor(page, 'fgan-lab', `m.step > ${before} + 20`);
    const after = await metrics(page);
    expect(after.status).toBe('training');
    // the reader sees which settings restart: they carry ↻
    const labels = await page.$eval('fgan-lab', (el) => [...el.shadowRoot!.querySelectorAll('.controls label, .controls .label')].map((l) => l.textContent ?? ''));
    expect(labels.some((l) => /critic learning rate(?! ↻)/.test(l))).toBe(true);
    expect(labels.some((l) => /f-divergence ↻/.test(l))).toBe(true);
    await page.$eval('fgan-lab', (el) => el.setAttribute('divergence', 'kl'));
    await waitFor(page, 'fgan-lab', `m.divergence === "kl" && m.step < ${after.step}`);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('<fgan-lab> driven by a reader', () => {
  it('changes settings with the keyboard, plays with the mouse, and trains on points drawn by hand', async () => {
    const { page, problems } = await openLab('backend=wasm&autoplay=false');
    const lab = page.locator('fgan-lab');
    // Keyboard: the generator's width slider moves one step and the run restarts with the new network.
    const width = lab.getByRole('slider', { name: /units per layer/i }).first();
    await width.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => width.getAttribute('aria-valuenow')).toBe('36');
    await expect.poll(() => new URL(page.url()).hash).toContain('g-width=36');
    // Keyboard: the divergence select.
    const divergence = lab.locator('select').first();
    await divergence.focus();
    await divergence.selectOption('kl');
    await waitFor(page, 'fgan-lab', 'm.divergence === "kl"');
    // Mouse: play, then pause.
    await lab.getByRole('button', { name: /^train/i }).first().click();
    await waitFor(page, 'fgan-lab', 'm.status === "training" && m.step > 10');
    await lab.getByRole('button', { name: /^pause/i }).first().click();
    await waitFor(page, 'fgan-lab', 'm.status === "paused"');
    // Draw: switch to a drawn target and drag a stroke across the field.
    await lab.getByRole('button', { name: /draw your own/i }).click();
    const surface = lab.locator('.surface');
    const box = (await surface.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.3);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + box.width * (0.25 + i * 0.025), box.y + box.height * (0.3 + i * 0.02));
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/target=drawn.*points=|points=.*target=drawn/);
    const points = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('points')!.split(';');
    expect(points.length).toBeGreaterThan(3);
    // The keyboard draws too: move the cursor, add a point with Enter, take it back with Backspace.
    await surface.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('points')!.split(';').length).toBe(points.length + 1);
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('points')!.split(';').at(-1)).toBe('0.5,0.1');
    await page.keyboard.press('Backspace');
    await expect.poll(() => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('points')!.split(';').length).toBe(points.length);
    const m = await stepLab(page, 20);
    expect(m.step).toBe(20);
    expect(Number.isFinite(m.criticLoss)).toBe(true);
    await page.screenshot({ path: screenshotPath('fgan-lab-drawn') });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('<fgan-lab> on a page with others', () => {
  it('four labs train at once; the one below the fold waits until it is scrolled into view', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context, `${env.url}/fixtures/four-labs.html`);
    for (const id of ['lab-js', 'lab-gan', 'lab-kl', 'lab-rkl']) await waitFor(page, `#${id}`, 'm.step > 20');
    const far = await metrics(page, '#lab-far');
    expect(far.step).toBe(0);
    expect(far.status).not.toBe('training');
    await page.$eval('#lab-far', (el) => el.scrollIntoView());
    await waitFor(page, '#lab-far', 'm.step > 20 && m.status === "training"');
    // Scrolled away again, it pauses; the four at the top are out of view too now.
    await page.evaluate(() => window.scrollTo(0, 2000));
    await waitFor(page, '#lab-far', 'm.status === "paused"');
    await waitFor(page, '#lab-js', 'm.status === "paused"');
    const contextLost = await page.evaluate(() => document.body.innerText.includes('context lost'));
    expect(contextLost).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });
});
