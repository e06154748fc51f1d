/** Durations and times for people: "3 h 12 min", "expired 3 h 12 min ago", ISO dates from NumericDate. */

const YEAR_MS = 31_557_600_000 // 365.25 d

const UNITS: [string, number][] = [
  ['y', YEAR_MS],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
]

/** Beyond this a count of years means nothing (a token's exp of 1e30): say so instead. */
const MAX_YEARS = 1000
export const BEYOND = `more than ${MAX_YEARS} years`

/** The two largest non-zero units: `3 h 12 min`, `2 d 4 h`, `1 y 12 d`, `45 s`; under a second: `0 s`; huge or non-finite: `more than 1000 years`. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (!(abs < MAX_YEARS * YEAR_MS)) return BEYOND
  let rest = Math.round(abs)
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

/** Dates ISO 8601 can write with a four-digit year: 0000-01-01 to 9999-12-31. */
const MIN_ISO_MS = -62_167_219_200_000 // 0000-01-01T00:00:00Z (Date.UTC maps year 0 to 1900)
const MAX_ISO_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/** NumericDate seconds -> ISO text; non-finite values and dates outside years 0000-9999 are shown as the raw number. */
export function isoOfSeconds(seconds: number): string {
  const ms = seconds * 1000
  if (!Number.isFinite(ms) || ms > MAX_ISO_MS || ms < MIN_ISO_MS) return String(seconds)
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}
