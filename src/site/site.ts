// Tiny page script shared by every page of the site (articles, index, standalone widget pages).
// Its one job is the language switch: the chosen language lives on <html data-lang="en|zh"> (CSS hides the other
// language's `.i18n` blocks) and in localStorage under 'explorables.lang'. An inline script in each page's <head>
// sets data-lang before first paint; this module repeats that choice (for pages without the inline script), wires
// every `[data-set-lang]` button, keeps aria-pressed in step and announces changes with an `explorables-lang` event on
// document (detail: { lang }), for figures that want to follow. Invariant: imports nothing, stays tiny.

type Lang = 'en' | 'zh';

const KEY = 'explorables.lang';
const root = document.documentElement;

function stored(): Lang | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'en' || v === 'zh' ? v : null;
  } catch {
    return null; // storage blocked (private mode, sandboxed iframe)
  }
}

function initial(): Lang {
  const attr = root.getAttribute('data-lang');
  if (attr === 'en' || attr === 'zh') return attr;
  return stored() ?? (/^zh/i.test(navigator.language || '') ? 'zh' : 'en');
}

function apply(lang: Lang): void {
  const changed = root.getAttribute('data-lang') !== lang;
  root.setAttribute('data-lang', lang);
  root.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const b of document.querySelectorAll<HTMLElement>('[data-set-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.setLang === lang));
  }
  if (changed) document.dispatchEvent(new CustomEvent('explorables-lang', { detail: { lang } }));
}

function choose(lang: Lang): void {
  apply(lang);
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* the choice then lasts for this page only */
  }
}

apply(initial());

document.addEventListener('click', (e) => {
  const b = (e.target as Element | null)?.closest<HTMLElement>('[data-set-lang]');
  const lang = b?.dataset.setLang;
  if (lang === 'en' || lang === 'zh') choose(lang);
});

// Another tab changed the language: follow it.
window.addEventListener('storage', (e) => {
  if (e.key === KEY && (e.newValue === 'en' || e.newValue === 'zh')) apply(e.newValue);
});
