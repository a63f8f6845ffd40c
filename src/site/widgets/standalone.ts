// Standalone widget pages (generated from widgets/catalog.ts): the URL hash holds the widget's settings, so the page
// is also an iframe embed and a share link. Hash → attributes on load and on hashchange (raw values, so a bad one
// shows the element's own message naming it); the reader's changes inside the widget → hash (replaceState, so the
// back button is not flooded). Inside an iframe the site's header and note are hidden: the figure alone is embedded.
import '../../../widgets/explorables.ts';
import { attributeName, toHash, type Values } from '../../settings/schema.ts';
import { WIDGETS } from '../../../widgets/registry.ts';

if (window.self !== window.top) document.documentElement.classList.add('embedded');

for (const def of WIDGETS) {
  for (const el of document.querySelectorAll<HTMLElement>(def.tag)) {
    const applyHash = () => {
      const params = new URLSearchParams(location.hash.slice(1));
      for (const key of Object.keys(def.schema)) {
        const a = attributeName(key);
        const raw = params.get(a);
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
