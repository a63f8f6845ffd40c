// <rnn-gradients> in real Chromium: the scripting API and its metrics (the tanh RNN's gradient vanishes, the LSTM's
// does not), the reader's keyboard (a slider, the chart's time cursor, the tabs), the mouse (a drag that redraws the
// views before it is released, hovering a chart, ticking a cell), a bad attribute, training steps in the worker,
// and a run whose states overflow stopping with a message.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, useBrowser } from './harness.ts';

const env = useBrowser();

interface Metrics {
  cells: string[]; length: number; gradNorms: number[][]; connectivity: number[][]; maxSingular: number[][];
  loss: number[]; accuracy: number[]; step: number; computeMs: number; status: string;
}
const metrics = (page: Page) =>
  page.$eval('rnn-gradients', (el) => ({ ...(el as unknown as { metrics: Record<string, unknown> }).metrics })) as unknown as Promise<Metrics>;
const waitFor = (page: Page, cond: string) =>
  page.waitForFunction((c) => {
    const m = (document.querySelector('rnn-gradients') as unknown as { metrics?: Record<string, unknown> })?.metrics;
    return m && 'cells' in m ? new Function('m', `return ${c}`)(m) : false;
  }, cond, { timeout: 90_000 });

async function open(hash: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const context = await env.browser.newContext({ viewport: { width, height: 1000 } });
  const watched = await openPage(context, `${env.url}/widgets/rnn-gradients.html#${hash}`);
  await waitFor(watched.page, 'm.gradNorms.length > 0');
  return watched;
}

describe('<rnn-gradients> gradient view', () => {
  it('publishes every view per cell, indexed by t: the tanh RNN vanishes, the gated cells do not', async () => {
    const { page, problems } = await open('');
    const m = await metrics(page);
    expect(m.cells).toEqual(['rnn-tanh', 'lstm', 'gru']);
    expect(m.length).toBe(100);
    for (const key of ['gradNorms', 'connectivity', 'maxSingular'] as const) {
      expect(m[key].length).toBe(3);
      for (const a of m[key]) expect(a.length).toBe(100);
    }
    const [tanh, lstm, gru] = m.gradNorms;
    expect(tanh[0]).toBeLessThan(1e-6);
    expect(lstm[0]).toBeGreaterThan(0.05);
    expect(gru[0]).toBeGreaterThan(0.01);
    expect(Math.max(...m.maxSingular[0])).toBeLessThan(1);
    expect(m.loss.every(Number.isNaN)).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('follows the keyboard: a slider, the chart cursor and its readout, the tabs', async () => {
    const { page, problems } = await open('');
    const fig = page.locator('rnn-gradients');
    const bias = fig.getByRole('slider', { name: /forget-gate bias/i });
    await bias.focus();
    const before = (await metrics(page)).gradNorms[1][0];
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => bias.getAttribute('aria-valuenow')).toBe('1');
    await expect.poll(() => new URL(page.url()).hash).toContain('forget-bias=1');
    // b_f from 4 to 1: the LSTM's gradient at t = 1 collapses (the article's claim: about 0.7 → about 1e-4)
    expect(before).toBeGreaterThan(0.1);
    // the views arrive from the analysis worker a moment after the last key press
    await expect.poll(async () => (await metrics(page)).gradNorms[1][0], { timeout: 20_000 }).toBeLessThan(1e-3);
    const chart = fig.getByRole('slider', { name: /gradient of the last-step loss/i });
    await chart.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => fig.getByTestId('readout').first().textContent()).toContain('t = 99');
    const tab = fig.getByRole('tab', { name: /training/i });
    await fig.getByRole('tab', { name: /gradients/i }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('false');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('follows the mouse: views redraw during a drag, hovering reads a step, a click removes a cell', async () => {
    const { page, problems } = await open('cells=rnn-linear,lstm&length=60', 360);
    const fig = page.locator('rnn-gradients');
    // a phone-width figure starts with its setting groups closed: open the one holding ρ
    await fig.getByText(/^initialisation$/i).click();
    const rho = fig.getByRole('slider', { name: /^ρ/ });
    await rho.scrollIntoViewIfNeeded();
    const box = (await rho.boundingBox())!;
    const first = (await metrics(page)).gradNorms[0][0];
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
    // still held: the linear RNN's gradient at t = 1 is ρ^59·‖u‖ for the ρ under the pointer
    await expect.poll(async () => (await metrics(page)).gradNorms[0][0]).toBeGreaterThan(first * 10);
    expect(new URL(page.url()).hash).not.toContain('radius');
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).hash).toContain('radius=');
    const rhoNow = Number(await rho.getAttribute('aria-valuenow'));
    await expect.poll(async () => {
      const m = await metrics(page);
      return m.gradNorms[0][0] / m.gradNorms[0][59] / rhoNow ** 59;
    }, { timeout: 20_000 }).toBeCloseTo(1, 6);
    const chart = fig.getByRole('slider', { name: /connectivity|derivative of the last output/i });
    await chart.scrollIntoViewIfNeeded();
    const c = (await chart.boundingBox())!;
    await page.mouse.move(c.x + c.width * 0.5, c.y + c.height * 0.5);
    await expect.poll(() => fig.getByTestId('readout').first().textContent()).toMatch(/t = \d+/);
    await page.screenshot({ path: screenshotPath('rnn-gradients-360-hover'), fullPage: true });
    await fig.getByText(/^cells$/i).click();
    await fig.getByRole('checkbox', { name: 'LSTM' }).click();
    await waitFor(page, 'm.cells.length === 1');
    // the last cell cannot be removed
    expect(await fig.getByRole('checkbox', { name: /RNN \(linear\)/ }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('an impossible attribute shows a message naming it and the valid values', async () => {
    const { page, problems } = await open('');
    await page.evaluate(() => {
      const el = document.createElement('rnn-gradients');
      el.id = 'bad';
      el.setAttribute('hidden-size', '1000');
      document.body.append(el);
    });
    await page.waitForFunction(() => document.querySelector('#bad')?.shadowRoot?.querySelector('[role="alert"]'));
    const text = await page.$eval('#bad', (el) => el.shadowRoot!.querySelector('[role="alert"]')!.textContent);
    expect(text).toContain('hidden-size="1000" is not valid');
    expect(text).toContain('an integer from 2 to 128');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('<rnn-gradients> training view', () => {
  it('steps, plays and pauses through the API; loss, held-out accuracy and the heatmaps fill in', async () => {
    const { page, problems } = await open('mode=train&autoplay=false&backend=wasm&cells=rnn-tanh,lstm&length=20');
    const m = await page.$eval('rnn-gradients', async (el) => {
      await (el as unknown as { step(n: number): Promise<void> }).step(3);
      return { ...(el as unknown as { metrics: Record<string, unknown> }).metrics };
    }) as unknown as Metrics;
    expect(m.step).toBe(3);
    expect(m.status).toBe('paused');
    expect(m.loss.length).toBe(2);
    expect(m.loss.every(Number.isFinite)).toBe(true);
    expect(m.accuracy.every((a) => a >= 0 && a <= 1)).toBe(true);
    await page.$eval('rnn-gradients', (el) => (el as unknown as { play(): void }).play());
    await waitFor(page, 'm.status === "training" && m.step > 6');
    await page.locator('rnn-gradients').getByRole('button', { name: /^pause/i }).click();
    await waitFor(page, 'm.status === "paused"');
    const rows = await page.$eval('rnn-gradients', (el) => el.shadowRoot!.querySelectorAll('.map canvas').length);
    expect(rows).toBe(2);
    await page.screenshot({ path: screenshotPath('rnn-gradients-training'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a run whose states overflow stops, says so, and resets', async () => {
    const { page, problems } = await open('mode=train&autoplay=false&backend=cpu&cells=rnn-relu&init=identity&radius=2&length=200&hidden-size=8');
    await page.$eval('rnn-gradients', (el) => (el as unknown as { play(): void }).play());
    await waitFor(page, 'm.status === "diverged"');
    const alert = await page.$eval('rnn-gradients', (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
    expect(alert).toMatch(/diverged/i);
    expect(alert).toMatch(/finite/);
    await page.locator('rnn-gradients').getByRole('button', { name: /^reset$/i }).last().click();
    await waitFor(page, 'm.status !== "diverged" && m.step === 0');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
