// <fgan-lab> on a 360-px phone: play and the divergence choice sit with the data plot on the first screen, every
// control a finger uses is at least 44 px tall, and with its groups closed the lab is about 1.5 screens tall.
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, useBrowser } from './harness.ts';

const env = useBrowser();
const SCREEN = { width: 360, height: 740 };

describe('<fgan-lab> on a phone', () => {
  it('plays and chooses a divergence beside the data; 44-px targets; about 1.5 screens tall', async () => {
    const context = await env.browser.newContext({ viewport: SCREEN, hasTouch: true, isMobile: true });
    const { page, problems } = await openPage(context, `${env.url}/widgets/fgan-lab.html#autoplay=false&backend=wasm`);
    await page.waitForFunction(() => document.querySelector('fgan-lab')?.shadowRoot?.querySelector('canvas'));
    const m = await page.$eval('fgan-lab', (el) => {
      const root = el.shadowRoot!;
      const rect = (e: Element | null) => e?.getBoundingClientRect() ?? null;
      const lab = rect(root.querySelector('.lab'))!;
      const play = rect(root.querySelector('button.primary'))!;
      const select = rect(root.querySelector('.top select'));
      const canvas = rect(root.querySelector('canvas'))!;
      const targets = [...root.querySelectorAll('label.toggle, .controls summary, .draw button, .bar button, .top select, .tabs button')]
        .map((e) => ({ what: (e.textContent ?? e.tagName).trim().slice(0, 30), h: e.getBoundingClientRect().height }));
      const open = root.querySelectorAll('.controls details[open]').length;
      return { lab: { top: lab.top, height: lab.height, width: lab.width }, play, select, canvas, targets, open };
    });
    expect(m.open).toBe(0);
    expect(m.select, JSON.stringify(m.lab)).not.toBeNull();
    // the play button, the divergence choice and the whole data plot fit on the first screen together
    const top = Math.min(m.play.top, m.select!.top);
    expect(m.canvas.bottom - top).toBeLessThanOrEqual(SCREEN.height);
    for (const t of m.targets) expect(t.h, t.what).toBeGreaterThanOrEqual(44);
    expect(m.targets.length).toBeGreaterThan(8);
    await page.screenshot({ path: screenshotPath('fgan-lab-phone'), fullPage: true });
    // "about one and a half screens": 1,156 px here (1.56 screens of 740 px); before this layout, 1,633 px
    expect(m.lab.height).toBeLessThanOrEqual(1.6 * SCREEN.height);
    expect(problems).toEqual([]);
    await context.close();
  });
});
