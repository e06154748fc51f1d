/**
 * Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text: samples with labels, and the
 * declared type of each family. Tolerant: a line it cannot read is counted, not fatal.
 */

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Exposition {
  samples: Sample[]
  types: Map<string, string>
  badLines: number
}

function parseValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY
    case '-Inf':
      return Number.NEGATIVE_INFINITY
    case 'NaN':
      return Number.NaN
    default:
      return Number(text)
  }
}

/** Read `{a="1",b="x\"y"}` starting at `i` (the `{`); returns labels and the index after `}`. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {}
  i++ // skip {
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === ',') i++
    if (line[i] === '}') return { labels, end: i + 1 }
    const eq = line.indexOf('=', i)
    if (eq < 0) return undefined
    const key = line.slice(i, eq).trim()
    i = eq + 1
    if (line[i] !== '"') return undefined
    i++
    let value = ''
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\' && i + 1 < line.length) {
        const n = line[i + 1]
        value += n === 'n' ? '\n' : n
        i += 2
      } else {
        value += line[i++]
      }
    }
    if (line[i] !== '"') return undefined
    labels[key] = value
    i++
  }
  return undefined
}

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  let badLines = 0
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    if (line.startsWith('#')) {
      const m = /^#\s+TYPE\s+(\S+)\s+(\S+)/.exec(line)
      if (m) types.set(m[1], m[2])
      continue
    }
    const brace = line.indexOf('{')
    const space = line.indexOf(' ')
    let name: string
    let labels: Record<string, string> = {}
    let rest: string
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.slice(0, brace)
      const parsed = parseLabels(line, brace)
      if (!parsed) {
        badLines++
        continue
      }
      labels = parsed.labels
      rest = line.slice(parsed.end).trim()
    } else if (space > 0) {
      name = line.slice(0, space)
      rest = line.slice(space + 1).trim()
    } else {
      badLines++
      continue
    }
    // value [timestamp] [# exemplar]
    const valueText = rest.split(/\s+/)[0]
    const value = parseValue(valueText)
    if (valueText === undefined || (Number.isNaN(value) && valueText !== 'NaN')) {
      badLines++
      continue
    }
    samples.push({ name, labels, value })
  }
  return { samples, types, badLines }
}
