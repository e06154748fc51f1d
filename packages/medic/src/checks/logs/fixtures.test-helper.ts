/** Log files for the logs checks' tests, written fresh per test into a temp dir, and a logs target for them. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Target } from '../../engine/types.js'

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'medic-logs-check-'))
}

export function logsTarget(sources: { file?: string; command?: string }[]): Target {
  return { id: 'logs', kind: 'logs', address: sources.map((s) => s.file ?? `$ ${s.command}`).join(', '), options: { sources }, thresholds: {}, source: 'test' }
}

/** ISO time `m` minutes (and `s` seconds) into the fixture hour. */
export const at = (m: number, s = 0) => new Date(Date.UTC(2026, 10, 22, 1, 0, 0) + m * 60_000 + s * 1000).toISOString()

/**
 * A JSON log of `minutes` minutes, 10 info lines a minute; `extra(m)` adds lines for minute m.
 * Returns the file path.
 */
export function jsonLog(dir: string, name: string, minutes: number, extra: (m: number) => object[] = () => []): string {
  const lines: string[] = []
  for (let m = 0; m < minutes; m++) {
    for (let s = 0; s < 60; s += 6) lines.push(JSON.stringify({ level: 'info', time: at(m, s), service: 'api', request_id: `r-${m}-${s}`, msg: `GET /api/items/${s} 200 in ${s + 2}ms` }))
    for (const e of extra(m)) lines.push(JSON.stringify(e))
  }
  const p = join(dir, name)
  writeFileSync(p, lines.join('\n') + '\n')
  return p
}
