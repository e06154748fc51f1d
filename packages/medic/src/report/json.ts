/** One JSON document (schemaVersion 1) for scripts and CI. Only ever add fields. */
import type { RunReport } from '../engine/types.js'

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
