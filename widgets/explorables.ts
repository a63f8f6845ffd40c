// The embed module (built to dist/embed/explorables.js). One <script type="module"> tag registers every widget's
// custom element; a widget's code (Svelte, d3, KaTeX, the tfjs worker) is fetched only when its element is connected.
// Loading this module twice, or next to another copy, is harmless: defineWidget skips tags already defined.
import { defineWidget } from './core/element.ts';
import { WIDGETS } from './registry.ts';

for (const widget of WIDGETS) defineWidget(widget);
