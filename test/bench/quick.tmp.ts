import { launch, serve } from '../e2e/harness.ts';
import { benchLab } from './training.ts';
const server = await serve(); const browser = await launch();
for (const b of ['wasm']) console.log(b, JSON.stringify(await benchLab(browser, server.url, b, 5)));
await browser.close(); await server.close();
