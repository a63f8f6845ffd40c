// The thin custom-element wrapper every widget shares. It lives in the embed module, so it must stay small:
// it validates attributes against the widget's schema (no widget code needed for that), shows an inline message
// for a bad attribute, loads the widget's code only once an element is connected, and exposes the scripting API
// (play, pause, reset, step, metrics + 'metrics' event) whether or not the code has arrived yet.
import { THEME_CSS } from '../ui/theme.ts';
import { parseSettings, type Schema, type SettingError, type Values } from './settings.ts';

export type WidgetStatus = 'idle' | 'training' | 'paused' | 'diverged' | 'playing';

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
  values: Values<S>;
  /** the custom element: widgets dispatch events on it and read its size */
  host: HTMLElement;
  /** called by the widget after each update of its metrics */
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
.loading{color:#666;display:flex;align-items:center;justify-content:center}
@media (prefers-color-scheme:dark){.error{color:#ffb4b4;background:#3a1717;border-color:#6b2a2a}.loading{color:#aaa}}
code{font:13px ui-monospace,monospace}`;

export function defineWidget<S extends Schema>(def: WidgetDefinition<S>): void {
  if (typeof customElements === 'undefined' || customElements.get(def.tag)) return;

  class ExplorableElement extends HTMLElement {
    static observedAttributes = Object.keys(def.schema).map((k) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
    #root = this.attachShadow({ mode: 'open' });
    #controller: WidgetController | null = null;
    #ready: Promise<WidgetController | null> | null = null;
    #metrics: BaseMetrics = { status: 'idle' };
    #generation = 0;

    get metrics(): Readonly<BaseMetrics> {
      return this.#metrics;
    }

    connectedCallback(): void {
      if (!this.#ready) this.#ready = this.#start();
    }

    disconnectedCallback(): void {
      // A node moved within the page is disconnected and connected in one task: wait a microtask before tearing down.
      queueMicrotask(() => {
        if (this.isConnected) return;
        this.#generation++;
        this.#controller?.destroy();
        this.#controller = null;
        this.#ready = null;
        this.#root.replaceChildren();
      });
    }

    attributeChangedCallback(): void {
      if (!this.#ready) return;
      const { values, errors } = this.#parse();
      if (errors.length) return this.#showErrors(errors);
      if (this.#controller) this.#controller.update(values);
      else this.#ready = this.#start();
    }

    play(): void { void this.#with((c) => c.play()); }
    pause(): void { void this.#with((c) => c.pause()); }
    reset(): void { void this.#with((c) => c.reset()); }
    async step(n = 1): Promise<void> {
      await this.#with((c) => c.step(n));
    }

    /** Runs at once when the widget is up (so `metrics` reflects a call right after it), else once it has loaded. */
    async #with<T>(f: (c: WidgetController) => T): Promise<T | undefined> {
      if (this.#controller) return f(this.#controller);
      const c = await this.#ready;
      return c ? f(c) : undefined;
    }

    #parse() {
      return parseSettings(def.schema, (a) => this.getAttribute(a));
    }

    #showErrors(errors: SettingError[]): void {
      this.#controller?.destroy();
      this.#controller = null;
      const box = this.#status('error', '');
      box.setAttribute('role', 'alert');
      const title = document.createElement('strong');
      title.textContent = `<${def.tag}>: `;
      box.append(title, errors.map((e) => e.message).join(' '));
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

    async #start(): Promise<WidgetController | null> {
      const generation = ++this.#generation;
      const { values, errors } = this.#parse();
      if (errors.length) {
        this.#showErrors(errors);
        return null;
      }
      this.#status('loading', '…').style.minHeight = `${def.minHeight}px`;
      try {
        const module = await def.load();
        if (generation !== this.#generation) return null;
        const target = document.createElement('div');
        const style = document.createElement('style');
        style.textContent = HOST_CSS;
        this.#root.replaceChildren(style, target);
        const controller = await module.mount(target, {
          values,
          host: this,
          publish: (m) => {
            this.#metrics = Object.freeze({ ...m });
            this.dispatchEvent(new CustomEvent('metrics', { detail: this.#metrics }));
          },
          settingsChanged: (v) => this.dispatchEvent(new CustomEvent('settings', { detail: v })),
        });
        if (generation !== this.#generation) {
          controller.destroy();
          return null;
        }
        this.#controller = controller;
        return controller;
      } catch (err) {
        this.#status('error', `<${def.tag}> could not load: ${(err as Error).message}. Reload the page to try again.`)
          .setAttribute('role', 'alert');
        return null;
      }
    }
  }

  customElements.define(def.tag, ExplorableElement);
}
