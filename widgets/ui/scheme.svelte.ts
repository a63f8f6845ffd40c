// The figure's light or dark scheme as reactive state, for views that must re-read resolved colours when it flips
// (a canvas cannot use var()). The element decides the scheme (core/scheme.ts) and writes it to data-scheme.
import { getContext } from 'svelte';

export const SCHEME_CONTEXT = Symbol('scheme');

export class SchemeWatcher {
  current = $state<string>('light');
  #observer: MutationObserver;

  constructor(host: HTMLElement) {
    this.current = host.dataset.scheme ?? 'light';
    this.#observer = new MutationObserver(() => (this.current = host.dataset.scheme ?? 'light'));
    this.#observer.observe(host, { attributes: true, attributeFilter: ['data-scheme'] });
  }

  dispose(): void {
    this.#observer.disconnect();
  }
}

/** The scheme of the figure this view belongs to (set by mountWidget), or null outside a mounted widget. */
export function schemeOf(): SchemeWatcher | null {
  return getContext<SchemeWatcher | undefined>(SCHEME_CONTEXT) ?? null;
}
