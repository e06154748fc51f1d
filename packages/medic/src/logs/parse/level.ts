/** Level words and numbers of the common loggers, mapped to medic's numeric levels (pino scale). */
import { LEVEL } from '../types.js'

const WORDS: Record<string, number> = {
  trace: LEVEL.trace, finest: LEVEL.trace, finer: LEVEL.trace,
  debug: LEVEL.debug, dbg: LEVEL.debug, fine: LEVEL.debug, verbose: LEVEL.debug,
  info: LEVEL.info, information: LEVEL.info, informational: LEVEL.info, notice: LEVEL.info, inf: LEVEL.info, config: LEVEL.info,
  warn: LEVEL.warn, warning: LEVEL.warn, wrn: LEVEL.warn,
  error: LEVEL.error, err: LEVEL.error, severe: LEVEL.error, eror: LEVEL.error,
  critical: LEVEL.fatal, crit: LEVEL.fatal, fatal: LEVEL.fatal, alert: LEVEL.fatal, emerg: LEVEL.fatal, emergency: LEVEL.fatal, panic: LEVEL.fatal, dpanic: LEVEL.fatal,
}
// Upper-case and capitalised spellings resolve without toLowerCase on the hot path.
for (const [k, v] of Object.entries({ ...WORDS })) {
  WORDS[k.toUpperCase()] = v
  WORDS[k[0].toUpperCase() + k.slice(1)] = v
}

/** Level of a bare word (`ERROR`, `warning`, `Info`), 0 when it is not a level word. */
export function levelWord(w: string): number {
  const v = WORDS[w]
  if (v !== undefined) return v
  if (w.length > 11) return 0
  return WORDS[w.toLowerCase()] ?? 0
}

function eqi(s: string, a: number, w: string): boolean {
  for (let k = 1; k < w.length; k++) if ((s.charCodeAt(a + k) | 0x20) !== w.charCodeAt(k)) return false
  return true
}

/** Level of the word s[a..e) without slicing (the hot path of plain lines). */
export function levelAt(s: string, a: number, e: number): number {
  const n = e - a
  if (n < 3 || n > 11) return 0
  switch (s.charCodeAt(a) | 0x20) {
    case 105: // i
      return (n === 4 && eqi(s, a, 'info')) || (n === 11 && eqi(s, a, 'information')) || (n === 3 && eqi(s, a, 'inf')) ? LEVEL.info : 0
    case 100: // d
      return (n === 5 && eqi(s, a, 'debug')) || (n === 3 && eqi(s, a, 'dbg')) ? LEVEL.debug : n === 6 && eqi(s, a, 'dpanic') ? LEVEL.fatal : 0
    case 119: // w
      return (n === 4 && eqi(s, a, 'warn')) || (n === 7 && eqi(s, a, 'warning')) || (n === 3 && eqi(s, a, 'wrn')) ? LEVEL.warn : 0
    case 101: // e
      return (n === 5 && eqi(s, a, 'error')) || (n === 3 && eqi(s, a, 'err')) ? LEVEL.error : (n === 5 && eqi(s, a, 'emerg')) || (n === 9 && eqi(s, a, 'emergency')) ? LEVEL.fatal : 0
    case 116: // t
      return n === 5 && eqi(s, a, 'trace') ? LEVEL.trace : 0
    case 102: // f
      return n === 5 && eqi(s, a, 'fatal') ? LEVEL.fatal : 0
    case 99: // c
      return (n === 8 && eqi(s, a, 'critical')) || (n === 4 && eqi(s, a, 'crit')) ? LEVEL.fatal : 0
    case 110: // n
      return n === 6 && eqi(s, a, 'notice') ? LEVEL.info : 0
    case 115: // s
      return n === 6 && eqi(s, a, 'severe') ? LEVEL.error : 0
    case 97: // a
      return n === 5 && eqi(s, a, 'alert') ? LEVEL.fatal : 0
    case 112: // p
      return n === 5 && eqi(s, a, 'panic') ? LEVEL.fatal : 0
    case 118: // v
      return n === 7 && eqi(s, a, 'verbose') ? LEVEL.debug : 0
    default:
      return 0
  }
}

/** Level of a structured field: a word, a pino/bunyan number, a syslog or OTel severity number. */
export function levelValue(v: unknown, key = ''): number {
  if (typeof v === 'string') {
    const w = levelWord(v)
    if (w) return w
    if (/^\d+$/.test(v)) return levelValue(+v, key)
    return 0
  }
  if (typeof v === 'number') {
    if (key === 'PRIORITY' || key === 'priority' || key === 'syslog.severity') return syslogSeverity(v)
    if (/severity_?number/i.test(key)) return otelSeverity(v)
    if (v >= 10) return Math.min(60, Math.floor(v / 10) * 10) // pino, bunyan
    return 0
  }
  return 0
}

/** Syslog severity 0..7 (journald PRIORITY, the <PRI> of a syslog line). */
export function syslogSeverity(n: number): number {
  if (n <= 2) return LEVEL.fatal
  if (n === 3) return LEVEL.error
  if (n === 4) return LEVEL.warn
  if (n <= 6) return LEVEL.info
  return LEVEL.debug
}

/** OpenTelemetry SeverityNumber 1..24. */
export function otelSeverity(n: number): number {
  if (n >= 21) return LEVEL.fatal
  if (n >= 17) return LEVEL.error
  if (n >= 13) return LEVEL.warn
  if (n >= 9) return LEVEL.info
  if (n >= 5) return LEVEL.debug
  return n >= 1 ? LEVEL.trace : 0
}

const RE_ERRORISH = /\b(?:error|errors|exception|fatal|panic|traceback|failed|failure|critical|refused|denied|timed? ?out)\b/i
const RE_WARNISH = /\b(?:warn|warning|deprecated|deprecation|retrying|slow)\b/i

/** For lines that carry no level: guess from the words (errors first). */
export function levelFromText(s: string): number {
  if (RE_ERRORISH.test(s)) return LEVEL.error
  if (RE_WARNISH.test(s)) return LEVEL.warn
  return LEVEL.none
}
