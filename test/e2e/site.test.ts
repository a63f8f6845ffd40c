// The site and the embed contract in real Chromium: every page loads clean, no raw TeX, nothing overflows a phone,
// the conjugate widget follows the keyboard, a bad attribute stays local, settings round-trip through the URL hash.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sitePages, WIDGET_PAGES } from '../../widgets/catalog.ts';
import { openPage, screenshotPath, useBrowser } from './harness.ts';

const env = useBrowser();

/** every page of the site, from the widget catalogue */
const PAGES = sitePages();

/** Metrics of a widget element, read through its scripting API. */
function metrics(page: Page, selector: string) {
  return page.$eval(selector, (el) => ({ ...(el as unknown as { metrics: Record<string, unknown> }).metrics }));
}

async function widgetReady(page: Page, selector: string) {
  await page.waitForFunction((s) => document.querySelector(s)?.shadowRoot?.querySelector('.widget svg path'), selector);
}

describe('pages', () => {
  for (const path of PAGES) {
    for (const width of [360, 1280]) {
      it(`${path} at ${width}px: loads clean, no raw TeX, no overflow`, async () => {
        const context = await env.browser.newContext({ viewport: { width, height: 900 } });
        const { page, problems } = await openPage(context, `${env.url}/${path}`);
        await page.waitForLoadState('networkidle');
        if (path !== 'diagnostics.html' && (await page.$('fdiv-conjugate'))) await widgetReady(page, 'fdiv-conjugate');
        const text = await page.evaluate(() => document.body.innerText);
        expect(text).not.toMatch(/\\\(|\\\[|\\frac|\\log|\\mathbb/);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: screenshotPath(`${path.replace(/\W+/g, '-')}-${width}`), fullPage: path !== 'articles/f-divergence.html' });
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }

  it('each article\'s footer links the standalone page of every figure it embeds, and every footer link resolves', async () => {
    const tags = WIDGET_PAGES.map((w) => w.tag);
    for (const path of PAGES.filter((p) => p.startsWith('articles/'))) {
      const html = await (await fetch(`${env.url}/${path}`)).text();
      const footer = /<footer class="site-footer">([\s\S]*?)<\/footer>/.exec(html)?.[1] ?? '';
      const linked = [...footer.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1], `${env.url}/${path}`).href);
      const embedded = tags.filter((t) => new RegExp(`<${t}[\\s>]`).test(html.replace(footer, '')));
      expect(embedded.length, path).toBeGreaterThan(0);
      for (const t of embedded) expect(linked, `${path} links ${t}`).toContain(`${env.url}/widgets/${t}.html`);
      expect(linked.filter((l) => l.includes('/widgets/')).length, path).toBe(embedded.length);
      for (const l of linked) expect((await fetch(l)).status, l).toBe(200);
    }
  });

  it('remembers the language the reader chose', async () => {
    const context = await env.browser.newContext({ locale: 'en-US' });
    const { page, problems } = await openPage(context, `${env.url}/index.html`);
    expect(await page.getAttribute('html', 'data-lang')).toBe('en');
    await page.click('[data-set-lang="zh"]');
    expect(await page.getAttribute('html', 'data-lang')).toBe('zh');
    await page.goto(`${env.url}/articles/f-divergence.html`);
    expect(await page.getAttribute('html', 'data-lang')).toBe('zh');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('<fdiv-conjugate>', () => {
  it('moves u₀ with the keyboard and the drawing follows', async () => {
    const { page, problems } = await openPage(env.browser, `${env.url}/widgets/fdiv-conjugate.html`);
    await widgetReady(page, 'fdiv-conjugate');
    const slider = page.locator('fdiv-conjugate [role="slider"]').nth(0);
    expect(await slider.getAttribute('aria-valuenow')).toBe('2');
    const handle = page.locator('fdiv-conjugate circle.handle');
    const before = Number(await handle.getAttribute('cx'));
    await slider.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    expect(await slider.getAttribute('aria-valuenow')).toBe('2.2');
    const after = Number(await handle.getAttribute('cx'));
    expect(after).toBeGreaterThan(before);
    const m = await metrics(page, 'fdiv-conjugate');
    expect(m.u).toBeCloseTo(2.2, 9);
    // KL: f(u) = u log u, f'(u) = log u + 1, and the tangent closes the Fenchel–Young gap.
    expect(m.f).toBeCloseTo(2.2 * Math.log(2.2), 9);
    expect(m.fPrime).toBeCloseTo(Math.log(2.2) + 1, 9);
    expect(Math.abs(m.gap as number)).toBeLessThan(1e-9);
    await page.keyboard.press('End');
    expect(await slider.getAttribute('aria-valuenow')).toBe('8');
    // The share link follows the reader.
    expect(new URL(page.url()).hash).toContain('u=8');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a gap when t leaves the tangent and closes it again', async () => {
    const { page, problems } = await openPage(env.browser, `${env.url}/widgets/fdiv-conjugate.html#divergence=reverse-kl&u=2`);
    await widgetReady(page, 'fdiv-conjugate');
    const tSlider = page.locator('fdiv-conjugate [role="slider"]').nth(1);
    await tSlider.focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    const open = await metrics(page, 'fdiv-conjugate');
    expect(open.divergence).toBe('reverse-kl');
    // Reverse KL: f(u) = −log u, f*(t) = −1 − log(−t); the gap is f(u) − t·u + f*(t) and is positive.
    const t = open.t as number;
    expect(open.gap).toBeCloseTo(-Math.log(2) - 2 * t - 1 - Math.log(-t), 9);
    expect(open.gap as number).toBeGreaterThan(0);
    const gapLength = await page.locator('fdiv-conjugate line.gap').first().evaluate((l) => Math.abs(Number(l.getAttribute('y1')) - Number(l.getAttribute('y2'))));
    expect(gapLength).toBeGreaterThan(5);
    await page.locator('fdiv-conjugate button.follow').click();
    expect(Math.abs((await metrics(page, 'fdiv-conjugate')).gap as number)).toBeLessThan(1e-12);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('switches divergence from the select and from the URL hash', async () => {
    const { page, problems } = await openPage(env.browser, `${env.url}/widgets/fdiv-conjugate.html#divergence=js&u=3`);
    await widgetReady(page, 'fdiv-conjugate');
    let m = await metrics(page, 'fdiv-conjugate');
    expect([m.divergence, m.u]).toEqual(['js', 3]);
    await page.locator('fdiv-conjugate select').selectOption('alpha');
    await page.waitForFunction(() => (document.querySelector('fdiv-conjugate') as unknown as { metrics: { divergence: string } }).metrics.divergence === 'alpha');
    expect(new URL(page.url()).hash).toContain('divergence=alpha');
    await page.evaluate(() => (location.hash = '#divergence=pearson&u=0.5'));
    await page.waitForFunction(() => (document.querySelector('fdiv-conjugate') as unknown as { metrics: { divergence: string } }).metrics.divergence === 'pearson');
    m = await metrics(page, 'fdiv-conjugate');
    expect(m.f).toBeCloseTo(0.25, 12);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('exposes play, pause, step and reset with metrics events', async () => {
    const { page, problems } = await openPage(env.browser, `${env.url}/widgets/fdiv-conjugate.html`);
    await widgetReady(page, 'fdiv-conjugate');
    const result = await page.evaluate(async () => {
      const el = document.querySelector('fdiv-conjugate') as HTMLElement & {
        play(): void; pause(): void; reset(): void; step(n: number): Promise<void>; metrics: { u: number; status: string };
      };
      let events = 0;
      el.addEventListener('metrics', () => events++);
      await el.step(30);
      const stepped = el.metrics.u;
      el.play();
      await new Promise((r) => setTimeout(r, 300));
      const playing = el.metrics.status;
      el.pause();
      const paused = el.metrics.status;
      el.reset();
      await new Promise((r) => setTimeout(r, 50));
      return { stepped, playing, paused, reset: el.metrics.u, events };
    });
    expect(result.stepped).not.toBe(2);
    expect(result.playing).toBe('playing');
    expect(result.paused).toBe('paused');
    expect(result.reset).toBe(2);
    expect(result.events).toBeGreaterThan(3);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('embedding in a plain blog post', () => {
  it('renders the widget from one script tag; a bad attribute shows a local message', async () => {
    const { page, problems } = await openPage(env.browser, `${env.url}/fixtures/blog-post.html`);
    await widgetReady(page, '#good');
    await widgetReady(page, '#alpha');
    expect((await metrics(page, '#good')).divergence).toBe('reverse-kl');
    const alpha = await metrics(page, '#alpha');
    expect([alpha.divergence, alpha.u]).toEqual(['alpha', 0.5]);
    const message = await page.$eval('#bad', (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
    expect(message).toContain('divergence="nonsense"');
    expect(message).toContain('reverse-kl');
    expect(await page.isVisible('#after')).toBe(true);
    // Fixing the attribute brings the figure up in place.
    await page.$eval('#bad', (el) => el.setAttribute('divergence', 'gan'));
    await widgetReady(page, '#bad');
    expect((await metrics(page, '#bad')).divergence).toBe('gan');
    // An out-of-range number names the attribute and its range.
    await page.$eval('#bad', (el) => el.setAttribute('u', '-3'));
    const range = await page.$eval('#bad', (el) => el.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '');
    expect(range).toContain('u="-3"');
    expect(range).toContain('from 0.05 to 8');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: screenshotPath('fixture-blog-post-360'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
