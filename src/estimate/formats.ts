// The estimate's output formats, in a module of their own: the CLI names them in its options
// without loading the renderers.
export const ESTIMATE_FORMATS = ['text', 'markdown', 'json', 'html'] as const;
export type EstimateFormat = (typeof ESTIMATE_FORMATS)[number];
