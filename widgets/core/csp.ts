// What a host page's Content-Security-Policy blocked, so a figure can say what to allow instead of rendering
// unstyled or falling back in silence. Installed by the embed module on load; violations of figures' inline styles
// and of their worker are kept here and turned into a sentence naming the directive to change.

export interface PolicyBlock {
  directive: string;
  blocked: string;
}

const seen: PolicyBlock[] = [];
const listeners = new Set<(b: PolicyBlock) => void>();

if (typeof document !== 'undefined') {
  document.addEventListener('securitypolicyviolation', (e) => {
    const b = { directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI };
    seen.push(b);
    for (const l of listeners) l(b);
  }, true);
}

/** Calls `listener` for every violation so far and every later one; returns an unsubscribe function. */
export function onPolicyBlock(listener: (b: PolicyBlock) => void): () => void {
  for (const b of seen) listener(b);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The violations that concern starting a worker (its script or a blob: wrapper). */
export function workerBlocks(): PolicyBlock[] {
  return seen.filter((b) => /^(worker-src|script-src|child-src)/.test(b.directive) && (b.blocked === 'blob' || /worker/.test(b.blocked)));
}

export function advice(b: PolicyBlock): string {
  if (b.directive.startsWith('style-src')) {
    return `This page's Content-Security-Policy blocks the figure's styles (${b.directive}): add 'unsafe-inline' to style-src.`;
  }
  if (/^(worker-src|script-src|child-src)/.test(b.directive)) {
    return `This page's Content-Security-Policy blocks the figure's worker (${b.directive}, ${b.blocked}): allow the figure's origin`
      + ` (and blob: when it is embedded from another origin) in worker-src. No backend can run without it.`;
  }
  return `This page's Content-Security-Policy blocked ${b.blocked || 'a resource'} (${b.directive}).`;
}
