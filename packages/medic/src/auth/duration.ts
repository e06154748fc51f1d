/** Durations and times for people: "3 h 12 min", "expired 3 h 12 min ago", ISO dates from NumericDate. */

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
]

/** The two largest non-zero units: `3 h 12 min`, `2 d 4 h`, `45 s`; under a second: `0 s`. */
export function humanDuration(ms: number): string {
  let rest = Math.abs(Math.round(ms))
  const out: string[] = []
  for (const [unit, size] of UNITS) {
    if (out.length === 2) break
    const n = Math.floor(rest / size)
    if (n > 0 || out.length > 0) {
      if (n > 0) out.push(`${n} ${unit}`)
      else break
      rest -= n * size
    }
  }
  return out.length > 0 ? out.join(' ') : '0 s'
}

/** `3 h 12 min ago` or `in 52 min`, relative to now. */
export function relative(atMs: number, nowMs: number): string {
  const d = atMs - nowMs
  return d <= 0 ? `${humanDuration(d)} ago` : `in ${humanDuration(d)}`
}

/** NumericDate seconds -> ISO text; non-finite or absurd values are shown as they are. */
export function isoOfSeconds(seconds: number): string {
  const ms = seconds * 1000
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return String(seconds)
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}
