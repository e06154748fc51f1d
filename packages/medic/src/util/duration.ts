/** Durations on the command line: `500ms`, `5s`, `10m`, `2h`, `1d`; a bare number means seconds. */
import { UserError } from '../engine/errors.js'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export function parseDuration(text: string, what = 'duration', opts: { maxMs?: number } = {}): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text)
  if (!m) throw new UserError(`${what} "${text}" is not a duration`, 'Use a number with a unit: 500ms, 5s, 10m, 2h, 1d (a bare number is seconds).')
  // `--timeout 2000` almost always means milliseconds: refuse the guess rather than wait 33 minutes.
  if (!m[2] && Number(m[1]) >= 100) throw new UserError(`${what} "${text}" has no unit`, `Did you mean ${m[1]}ms? Write the unit: ${m[1]}ms or ${m[1]}s.`)
  const ms = Number(m[1]) * UNIT_MS[(m[2] ?? 's').toLowerCase()]
  if (!Number.isFinite(ms) || ms <= 0) throw new UserError(`${what} "${text}" must be greater than zero`)
  if (opts.maxMs !== undefined && ms > opts.maxMs) throw new UserError(`${what} "${text}" is too long`, `Use at most ${opts.maxMs / 1000} s.`)
  return Math.round(ms)
}
