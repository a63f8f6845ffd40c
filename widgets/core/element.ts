// The thin custom-element wrapper every widget shares. It lives in the embed module, so it must stay small:
// it validates attributes against the widget's schema (no widget code needed for that), shows an inline message
// for a bad attribute, loads the widget's code only once an element is connected, and exposes the scripting API
// (play, pause, reset, step, metrics + 'metrics' event) whether or not the code has arrived yet.
import { parseSettings, type Schema, type SettingError, type Values } from '../../src/settings/schema.ts';
import type { Theme } from '../../src/settings/common.ts';
import { THEME_CSS } from '../ui/theme.ts';
import { advice, onPolicyBlock } from './csp.ts';
import { followScheme } from './scheme.ts';

export type WidgetStatus = 'idle' | 'loading' | 'training' | 'paused' | 'diverged' | 'error' | 'playing';

export interface BaseMetrics {
  status: WidgetStatus;
}

/** What a widget's code module gives back after mounting into the element's shadow root. */
export interface WidgetController {
  play(): void;
  pause(): void;
  reset(): void;
  step(n: number): Promise<void>;
  update(values: Record<string, unknown>): void;
  destroy(): void;
}

export interface MountContext<S extends Schema> {
  tag: string;
  schema: S;
  values: Values<S>;
  /** the custom element: widgets dispatch events on it and read its size */
  host: HTMLElement;
  /** the height reserved while loading, a fair height for an iframe of this figure */
  minHeight: number;
  /** called by the widget after each update of its metrics; ignored once the element is gone */
  publish(metrics: BaseMetrics): void;
  /** called by the widget when the reader changes a setting inside it (standalone pages mirror it in the hash) */
  settingsChanged(values: Values<S>): void;
}

export interface WidgetModule<S extends Schema> {
  mount(target: HTMLElement, context: MountContext<S>): WidgetController | Promise<WidgetController>;
}

export interface WidgetDefinition<S extends Schema> {
  tag: string;
  schema: S;
  load: () => Promise<WidgetModule<S>>;
  /** space reserved while the code loads, so the page does not jump */
  minHeight: number;
}

const HOST_CSS = THEME_CSS + `:host{display:block;position:relative;contain:layout}
.status{font:14px/1.5 system-ui,sans-serif;padding:12px 14px;border-radius:8px}
.error{color:#8a1c1c;background:#fdeaea;border:1px solid #e8b4b4}
.loading{color:var(--w-muted);display:flex;align-items:center;justify-content:center}
:host([data-scheme=dark]) .error{color:#ffb4b4;background:#3a1717;border-color:#6b2a2a}
code{font:13px ui-monospace,monospace}`;

export function defineWidget<S extends Schema>(def: WidgetDefinition<S>): void {
  if (typeof customElements === 'undefined' || customElements.get(def.tag)) return;

  class ExplorableElement extends HTMLElement {
    static observedAttributes = Object.keys(def.schema).map((k) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
    #root = this.attachShadow({ mode: 'open' });
    #controller: WidgetController | null = null;
    /** the controller once mounted; resolves to null when the attributes are invalid or the element left */
    #ready: Promise<WidgetController | null> | null = null;
    #metrics: BaseMetrics = Object.freeze({ status: 'idle' });
    /** bumped whenever what is being loaded or shown is superseded (removal, a bad attribute, a restart) */
    #generation = 0;

    get metrics(): Readonly<BaseMetrics> {
      return this.#metrics;
    }

    #scheme: ReturnType<typeof followScheme> | null = null;

    #offPolicy: (() => void) | null = null;

    /** Styles blocked by the page's policy leave a figure unstyled: say so in plain text, which needs no style. */
    #watchPolicy(): void {
      this.#offPolicy ??= onPolicyBlock((b) => {
        if (!b.directive.startsWith('style-src') || this.#root.querySelector('.policy')) return;
        const p = document.createElement('p');
        p.className = 'policy';
        p.setAttribute('role', 'alert');
        p.textContent = `<${def.tag}>: ${advice(b)}`;
        this.#root.prepend(p);
      });
    }

    connectedCallback(): void {
      this.#watchPolicy();
      // an invalid theme counts as auto here; the attribute's own message comes from the schema check
      this.#scheme ??= followScheme(this, () => {
        const t = this.getAttribute('theme');
        return t === 'light' || t === 'dark' ? t : ('auto' as Theme);
      });
      if (!this.#ready) this.#ready = this.#start();
    }

    disconnectedCallback(): void {
      // A node moved within the page is disconnected and connected in one task: wait a microtask before tearing down.
      queueMicrotask(() => {
        if (this.isConnected) return;
        this.#scheme?.dispose();
        this.#scheme = null;
        this.#offPolicy?.();
        this.#offPolicy = null;
        this.#generation++;
        this.#controller?.destroy();
        this.#controller = null;
        this.#ready = null;
        this.#root.replaceChildren();
      });
    }

    attributeChangedCallback(name: string): void {
      if (!this.#ready) return;
      if (name === 'theme') this.#scheme?.refresh();
      const { values, errors } = this.#parse();
      if (errors.length) return this.#showErrors(errors);
      // While the code loads, #start reads the attributes afresh when it mounts; after an error, start over.
      if (this.#controller) this.#controller.update(values);
      else if (this.#loading === null) this.#ready = this.#start();
    }

    play(): void { void this.#with((c) => c.play()); }
    pause(): void { void this.#with((c) => c.pause()); }
    reset(): void { void this.#with((c) => c.reset()); }
    async step(n = 1): Promise<void> {
      await this.#with((c) => c.step(n));
    }

    /** Runs at once when the widget is up (so `metrics` reflects a call right after it), else once it has loaded;
     * never on a widget that shows an error or has left the page. */
    async #with<T>(f: (c: WidgetController) => T): Promise<T | undefined> {
      if (this.#controller) return f(this.#controller);
      const c = await this.#ready;
      return c && c === this.#controller ? f(c) : undefined;
    }

    #parse() {
      return parseSettings(def.schema, (a) => this.getAttribute(a));
    }

    #publish(m: BaseMetrics): void {
      this.#metrics = Object.freeze({ ...m });
      this.dispatchEvent(new CustomEvent('metrics', { detail: this.#metrics }));
    }

    #showErrors(errors: SettingError[]): void {
      this.#generation++;
      this.#loading = null;
      this.#controller?.destroy();
      this.#controller = null;
      this.#ready = Promise.resolve(null);
      const box = this.#status('error', '');
      box.setAttribute('role', 'alert');
      const title = document.createElement('strong');
      title.textContent = `<${def.tag}>: `;
      box.append(title, errors.map((e) => e.message).join(' '));
      this.#publish({ status: 'error' });
    }

    #status(kind: string, text: string): HTMLElement {
      const style = document.createElement('style');
      style.textContent = HOST_CSS;
      const box = document.createElement('div');
      box.className = `status ${kind}`;
      box.textContent = text;
      this.#root.replaceChildren(style, box);
      return box;
    }

    /** the generation whose code is loading, or null */
    #loading: number | null = null;

    async #start(): Promise<WidgetController | null> {
      const generation = ++this.#generation;
      const first = this.#parse();
      if (first.errors.length) {
        this.#showErrors(first.errors);
        return null;
      }
      this.#status('loading', '…').style.minHeight = `${def.minHeight}px`;
      this.#loading = generation;
      this.#publish({ status: 'loading' });
      try {
        const module = await def.load();
        if (generation !== this.#generation) return null;
        this.#loading = null;
        // attributes may have changed while the code loaded: mount what they say now
        const { values, errors } = this.#parse();
        if (errors.length) {
          this.#showErrors(errors);
          return null;
        }
        const target = document.createElement('div');
        const style = document.createElement('style');
        style.textContent = HOST_CSS;
        this.#root.replaceChildren(style, target);
        const controller = await module.mount(target, {
          tag: def.tag,
          schema: def.schema,
          values,
          host: this,
          minHeight: def.minHeight,
          publish: (m) => {
            if (generation === this.#generation) this.#publish(m);
          },
          settingsChanged: (v) => {
            if (generation === this.#generation) this.dispatchEvent(new CustomEvent('settings', { detail: v }));
          },
        });
        if (generation !== this.#generation) {
          controller.destroy();
          return null;
        }
        this.#controller = controller;
        return controller;
      } catch (err) {
        if (generation !== this.#generation) return null;
        this.#loading = null;
        this.#status('error', `<${def.tag}> could not load: ${(err as Error).message}. Reload the page to try again.`)
          .setAttribute('role', 'alert');
        this.#publish({ status: 'error' });
        return null;
      }
    }
  }

  customElements.define(def.tag, ExplorableElement);
}
