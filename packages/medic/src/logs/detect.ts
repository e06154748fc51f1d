/**
 * Record format per source, from a sample of its first lines (no configuration), or forced by
 * name. Continuation-looking lines (indented, traceback lines) are left out of the vote.
 */
import { UserError } from '../engine/errors.js'
import { jsonParser } from './parse/json.js'
import { logfmtParser } from './parse/logfmt.js'
import type { RecordParser } from './parse/parser.js'
import { accessParser, plainParser, syslogParser, timestampedParser } from './parse/plain.js'

export const SAMPLE_LINES = 64

export const FORMAT_NAMES = ['json', 'logfmt', 'access', 'nginx', 'apache', 'syslog', 'plain', 'timestamped', 'python', 'uvicorn', 'gunicorn', 'node', 'java']

/** A parser by name (aliases: nginx/apache → access; python/uvicorn/gunicorn/node/java → plain). */
export function parserByName(name: string, sample: string[] = []): RecordParser {
  switch (name.toLowerCase()) {
    case 'json':
    case 'jsonl':
    case 'ndjson':
      return jsonParser(sample)
    case 'logfmt':
      return logfmtParser
    case 'access':
    case 'nginx':
    case 'apache':
    case 'clf':
      return accessParser
    case 'syslog':
      return syslogParser
    case 'timestamped':
      return timestampedParser
    case 'plain':
    case 'python':
    case 'uvicorn':
    case 'gunicorn':
    case 'node':
    case 'java':
      return detect(sample.length ? sample : [], ['timestamped', 'plain'])
    default:
      throw new UserError(`unknown log format "${name}"`, `use one of: ${FORMAT_NAMES.join(', ')}`)
  }
}

const RE_EXCEPTION_LINE = /^(?:[\w$]+\.)*[\w$]*(?:Error|Exception|Warning|Throwable|Exit|Interrupt)\b:?/

function isContinuationLike(line: string): boolean {
  const c = line.charCodeAt(0)
  return c === 32 || c === 9 || line.startsWith('Traceback (') || line.startsWith('During handling') || line.startsWith('The above exception') || line.startsWith('Caused by:') || RE_EXCEPTION_LINE.test(line)
}

/** Choose the parser whose shape most of the sample has. */
export function detect(sample: string[], only?: string[]): RecordParser {
  const lines = sample.filter((l) => l.length > 0 && !isContinuationLike(l))
  if (lines.length === 0) return plainParser
  const share = (p: RecordParser) => lines.reduce((n, l) => n + (p.matches(l) ? 1 : 0), 0) / lines.length
  const allowed = (n: string) => !only || only.includes(n)
  const json = jsonParser(sample)
  if (allowed('json') && share(json) >= 0.6) return json
  if (allowed('logfmt') && share(logfmtParser) >= 0.6) return logfmtParser
  if (allowed('access') && share(accessParser) >= 0.6) return accessParser
  if (allowed('syslog') && share(syslogParser) >= 0.9) return syslogParser
  // Timestamps on (nearly) every record start: then lines without one continue the record before.
  if (allowed('timestamped') && share(timestampedParser) >= 0.9) return timestampedParser
  return plainParser
}
