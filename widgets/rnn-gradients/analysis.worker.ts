// The gradient views of <rnn-gradients>, computed off the main thread: float64 mathematics only (src/math, no tfjs),
// so the page keeps drawing and taking pointer events while a slider is dragged. One request at a time; the page
// (analysis.ts) sends only the newest settings when the previous answer arrives.
import { analyzeRnnGradients, type CellGradients, type RnnGradientSettings, type SingularOptions } from '../../src/math/rnn-gradients.ts';

export interface AnalysisRequest {
  id: number;
  settings: Partial<RnnGradientSettings>;
  opts: SingularOptions;
}

export type AnalysisReply = { id: number; cells: CellGradients[]; ms: number } | { id: number; error: string };

self.onmessage = (e: MessageEvent<AnalysisRequest>) => {
  const { id, settings, opts } = e.data;
  try {
    const began = performance.now();
    const { cells } = analyzeRnnGradients(settings, opts);
    const ms = performance.now() - began;
    const buffers = cells.flatMap((c) => [
      c.gradNorms, c.gradNormsH, c.gradNormsClipped, c.connectivity, c.maxSingular,
      ...(c.lstmTerms ? [c.lstmTerms.forget, c.lstmTerms.rest] : []), ...(c.gruTerms ? [c.gruTerms.keep, c.gruTerms.rest] : []),
    ].map((a) => a.buffer));
    (self as unknown as Worker).postMessage({ id, cells, ms } satisfies AnalysisReply, buffers);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies AnalysisReply);
  }
};
