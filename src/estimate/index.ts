// The estimate's public API: compute (estimate, estimateFromScan) and render (text, markdown,
// json, html). See schema.ts for the report and its JSON schema, weights.ts for the model.
import type { EstimateReport } from './schema.js';
import { formatEstimateText } from './text.js';
import { estimateMarkdown } from './markdown.js';
import { estimateHtml } from './html.js';

export { estimate, estimateFromScan, treeName, ASSUMPTIONS, type EstimateOptions } from './estimate.js';
export { DEFAULT_WEIGHTS, loadWeights, parseWeights, type Weights } from './weights.js';
export { formatEstimateText } from './text.js';
export { estimateMarkdown } from './markdown.js';
export { estimateHtml } from './html.js';
export type * from './schema.js';

import { ESTIMATE_FORMATS, type EstimateFormat } from './formats.js';

export { ESTIMATE_FORMATS, type EstimateFormat };

/** The JSON form: the report itself (schemaVersion 1, see schema.ts). */
export function estimateJson(r: EstimateReport): string {
  return `${JSON.stringify(r, null, 1)}\n`;
}

export function renderEstimate(r: EstimateReport, format: EstimateFormat, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'markdown': return estimateMarkdown(r);
    case 'json': return estimateJson(r);
    case 'html': return estimateHtml(r);
    default: return formatEstimateText(r, { color: opts.color });
  }
}
