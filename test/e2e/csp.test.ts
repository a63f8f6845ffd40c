// A blog's Content-Security-Policy: the policy the README gives works; a policy that blocks the figures' styles or
// their worker gets a message naming the directive, and no advice that cannot help (switching backend).
import { describe, expect, it } from 'vitest';
import { openPage, useBrowser } from './harness.ts';

const env = useBrowser();

const status = (el: Element) => (el as unknown as { metrics: { status: string } }).metrics.status;

describe('Content-Security-Policy of the host page', () => {
  it('with the README\'s policy both figures work: the lab trains on wasm', async () => {
    const { page, problems } = await openPage(env.browser, `${env.url}/fixtures/csp-ok.html`);
    await page.waitForFunction(() => document.querySelector('fdiv-conjugate')?.shadowRoot?.querySelector('.widget svg path'));
    await page.waitForFunction(() => (document.querySelector('fgan-lab') as unknown as { metrics: { step: number } }).metrics.step > 20, null, { timeout: 60_000 });
    expect(await page.$eval('fgan-lab', (el) => (el as unknown as { metrics: { backend: string } }).metrics.backend)).toBe('wasm');
    expect(await page.$eval('fgan-lab', status)).toBe('training');
    expect(problems.join('\n')).toBe('');
    await page.close();
  });

  it('without \'unsafe-inline\' for styles each figure says what to allow', async () => {
    const { page } = await openPage(env.browser, `${env.url}/fixtures/csp-no-inline-style.html`);
    for (const tag of ['fdiv-conjugate', 'fgan-lab']) {
      await page.waitForFunction((t) => document.querySelector(t)?.shadowRoot?.querySelector('.policy'), tag);
      const text = await page.$eval(tag, (el) => el.shadowRoot!.querySelector('.policy')!.textContent!);
      expect(text).toContain(`<${tag}>`);
      expect(text).toMatch(/style-src.*'unsafe-inline'/);
    }
    await page.close();
  });

  it('a worker the policy refuses is named, and no backend switch is offered', async () => {
    const { page } = await openPage(env.browser, `${env.url}/fixtures/csp-no-worker.html`);
    await page.waitForFunction(() => (document.querySelector('fgan-lab') as unknown as { metrics: { status: string } }).metrics.status === 'error', null, { timeout: 60_000 });
    const banner = await page.$eval('fgan-lab', (el) => el.shadowRoot!.querySelector('.banner')!.textContent!);
    expect(banner).toMatch(/Content-Security-Policy blocks the figure's worker \(worker-src/);
    const buttons = await page.$$eval('fgan-lab', (els) => [...els[0].shadowRoot!.querySelectorAll('.banner button')].map((b) => b.textContent));
    expect(buttons.join(' ')).not.toMatch(/cpu/);
    await page.close();
  });
});
