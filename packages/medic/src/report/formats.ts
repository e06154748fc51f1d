/** The `--format` names: apart from the renderers, so the CLI can list them without loading any. */
export const FORMATS = ['text', 'json', 'markdown', 'nagios'] as const
export type Format = (typeof FORMATS)[number]
