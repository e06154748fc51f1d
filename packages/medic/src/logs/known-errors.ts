/** Matching records against the known-error signatures of known-errors.data.ts. */
import { KNOWN_ERRORS, type KnownErrorSpec } from './known-errors.data.js'

export interface CompiledKnownError extends KnownErrorSpec {
  re: RegExp
}

/** Well-known ports, to name the dependency behind `ECONNREFUSED 127.0.0.1:6379`. */
const PORTS: Record<string, string> = { '5432': 'PostgreSQL', '3306': 'MySQL/MariaDB', '6379': 'Redis', '6333': 'Qdrant', '9200': 'Elasticsearch', '27017': 'MongoDB', '5672': 'RabbitMQ', '11211': 'Memcached', '9092': 'Kafka' }

export const COMPILED: CompiledKnownError[] = KNOWN_ERRORS.map((k) => ({ ...k, re: new RegExp(k.pattern, k.flags ?? '') }))

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
// One pass over the text tells whether any needle occurs at all (most records: none).
const ANY_NEEDLE = new RegExp(COMPILED.flatMap((k) => k.needles).map(escape).join('|'))

/**
 * The known error this text matches (the list is ordered most specific first: one cause per
 * record), with a detail from the pattern's first capture (`Redis at 127.0.0.1:6379`).
 */
export function matchKnown(text: string): { spec: CompiledKnownError; detail: string }[] {
  if (!ANY_NEEDLE.test(text)) return []
  for (const k of COMPILED) {
    let hit = false
    for (const n of k.needles) {
      if (text.includes(n)) {
        hit = true
        break
      }
    }
    if (!hit) continue
    const m = k.re.exec(text)
    if (!m) continue
    const captured = m[1] ?? m[2]
    let detail = (captured ?? m[0]).slice(0, 200)
    if (k.id === 'connection-refused' && captured) {
      const dep = PORTS[/(\d+)$/.exec(captured)?.[1] ?? '']
      if (dep) detail = `${dep} at ${captured}`
    }
    return [{ spec: k, detail }]
  }
  return []
}

const INFO_NEEDLES = / 429|utcnow|RateLimit/
/** Cheap test for info-level lines that may still carry a known error (an upstream 429, a deprecation). */
export function maybeKnownAtInfo(line: string): boolean {
  return INFO_NEEDLES.test(line)
}
