// The reader's language for a widget: the nearest lang attribute above the element (a blog post in Chinese, or
// the site's <html lang> that its language switch sets), followed live as it changes. English or Chinese.
export type Lang = 'en' | 'zh';

function langOf(el: Element): Lang {
  const tagged = el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? 'en';
  return tagged.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export class LangWatcher {
  current = $state<Lang>('en');
  #observer: MutationObserver;

  constructor(host: Element) {
    this.current = langOf(host);
    this.#observer = new MutationObserver(() => (this.current = langOf(host)));
    // The attribute can change on the element itself, the page root, or anything between.
    for (let node: Element | null = host; node; node = node.parentElement) {
      this.#observer.observe(node, { attributes: true, attributeFilter: ['lang'] });
    }
  }

  /** Picks the string for the current language. */
  t = (text: { en: string; zh: string }): string => text[this.current];

  dispose(): void {
    this.#observer.disconnect();
  }
}
