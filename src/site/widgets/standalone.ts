// Standalone widget pages: the URL hash holds the widget's settings, so the page is also an iframe embed and a share
// link. Hash → attributes on load and on hashchange; the reader's changes inside the widget → hash (replaceState,
// so the back button is not flooded).
import '../../../widgets/explorables.ts';
import { attributeName, toHash, type Values } from '../../../widgets/core/settings.ts';
import { WIDGETS } from '../../../widgets/registry.ts';

for (const def of WIDGETS) {
  for (const el of document.querySelectorAll<HTMLElement>(def.tag)) {
    const applyHash = () => {
      const params = new URLSearchParams(location.hash.slice(1));
      for (const key of Object.keys(def.schema)) {
        const a = attributeName(key);
        const raw = params.get(a);
        // Invalid values are passed through so the element shows its message naming the attribute.
        if (raw !== null) el.setAttribute(a, raw);
        else el.removeAttribute(a);
      }
    };
    applyHash();
    window.addEventListener('hashchange', applyHash);
    el.addEventListener('settings', (e) => {
      const hash = toHash(def.schema, (e as CustomEvent<Values<typeof def.schema>>).detail);
      history.replaceState(null, '', hash || location.pathname + location.search);
    });
  }
}
