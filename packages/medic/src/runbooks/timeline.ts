/**
 * The timeline: when the errors began, next to what medic can see change — a process (re)start,
 * the last migration, a config or .env file written, a deploy marker from the config — and one
 * sentence tying them: "Errors began 02:14:07, 3 min after the API restarted at 02:11:02."
 */
import { statSync } from 'node:fs'
import type { CheckResult, TimelineEvent } from '../engine/types.js'
import type { MedicConfig } from '../config/schema.js'

/** How far back a change still counts as "just before" the errors. */
const RELEVANT_MS = 2 * 60 * 60 * 1000

function iso(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

function clock(at: string): string {
  return at.slice(11, 19)
}

function gap(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 90) return `${s} s`
  if (s < 5400) return `${Math.round(s / 60)} min`
  return `${(s / 3600).toFixed(1)} h`
}

export function collectEvents(results: CheckResult[], config: MedicConfig, files: { path: string; label: string }[]): TimelineEvent[] {
  const events: TimelineEvent[] = []
  for (const r of results) {
    const o = r.observations
    const started = iso(o['process.startedAt'])
    if (started) events.push({ at: started, kind: 'restart', what: `${r.target} (re)started`, target: r.target })
    const migrated = iso(o['migrations.lastAppliedAt'])
    if (migrated) events.push({ at: migrated, kind: 'migration', what: `last migration applied on ${r.target}`, target: r.target })
    const restartLogged = iso(o['logs.lastRestartAt'])
    if (restartLogged) events.push({ at: restartLogged, kind: 'restart', what: 'the app restarted (its log says so)', target: r.target })
    const migrationLogged = iso(o['logs.lastMigrationAt'])
    if (migrationLogged) events.push({ at: migrationLogged, kind: 'migration', what: 'a migration ran (its log says so)', target: r.target })
    const errors = iso(o['logs.errorsBeganAt'])
    if (errors) events.push({ at: errors, kind: 'errors', what: `errors began${typeof o['logs.errorsBeganGroup'] === 'string' ? ` (${o['logs.errorsBeganGroup']})` : ''}`, target: r.target })
  }
  for (const f of files) {
    try {
      events.push({ at: statSync(f.path).mtime.toISOString(), kind: 'config', what: `${f.label} changed` })
    } catch {
      // not there: nothing changed
    }
  }
  for (const d of config.deploys) {
    const at = iso(d.at)
    if (at) events.push({ at, kind: 'deploy', what: `deploy ${d.what}` })
  }
  // One event per (kind, what, at): several checks may observe the same start.
  const seen = new Set<string>()
  return events
    .filter((e) => {
      const key = `${e.kind}|${e.what}|${e.at}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((a, b) => a.at.localeCompare(b.at))
}

export function summarize(events: TimelineEvent[]): string | undefined {
  const began = events.find((e) => e.kind === 'errors')
  if (!began) return undefined
  const t = Date.parse(began.at)
  const before = events.filter((e) => e.kind !== 'errors' && Date.parse(e.at) <= t && t - Date.parse(e.at) <= RELEVANT_MS)
  const last = before[before.length - 1]
  if (!last) return `Errors began ${clock(began.at)}; medic saw no restart, migration, config change or deploy in the 2 h before.`
  return `Errors began ${clock(began.at)}, ${gap(t - Date.parse(last.at))} after ${last.what} at ${clock(last.at)}.`
}
