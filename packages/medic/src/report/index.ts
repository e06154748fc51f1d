/** Pick the renderer for `--format`. Every renderer gets an already redacted report. */
import type { RunReport } from '../engine/types.js'
import { renderJson } from './json.js'
import { renderMarkdown } from './markdown.js'
import { renderNagios } from './nagios.js'
import { renderText } from './text.js'
import type { Format } from './formats.js'

export { FORMATS, type Format } from './formats.js'

export function render(report: RunReport, format: Format, opts: { color: boolean; verbose?: boolean }): string {
  switch (format) {
    case 'json':
      return renderJson(report)
    case 'markdown':
      return renderMarkdown(report)
    case 'nagios':
      return renderNagios(report)
    default:
      return renderText(report, opts)
  }
}
