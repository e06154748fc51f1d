/** Observation conditions in runbooks: `key`, `!key`, or `key OP value` with OP one of >= > <= < == !=. */
import type { Observation } from '../engine/types.js'

export interface Condition {
  key: string
  op: '>=' | '>' | '<=' | '<' | '==' | '!=' | 'truthy' | 'falsy'
  value?: string | number | boolean
}

const RE = /^\s*(!)?\s*([A-Za-z0-9_.:-]+)\s*(?:(>=|<=|==|!=|>|<)\s*([^\s<>=!].*?))?\s*$/

export function parseCondition(text: string): Condition | undefined {
  const m = RE.exec(text)
  if (!m) return undefined
  const [, not, key, op, raw] = m
  if (!op) return { key, op: not ? 'falsy' : 'truthy' }
  if (not) return undefined
  let value: string | number | boolean = raw.replace(/^["']|["']$/g, '')
  if (raw === 'true' || raw === 'false') value = raw === 'true'
  else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw)
  return { key, op: op as Condition['op'], value }
}

/** undefined when the observation was not made (the check did not run): neither for nor against. */
export function holds(c: Condition, observed: Observation | undefined): boolean | undefined {
  if (observed === undefined) return undefined
  switch (c.op) {
    case 'truthy':
      return Boolean(observed)
    case 'falsy':
      return !observed
    case '==':
      return observed === c.value || String(observed) === String(c.value)
    case '!=':
      return !(observed === c.value || String(observed) === String(c.value))
    default: {
      if (typeof observed !== 'number' || typeof c.value !== 'number') return false
      if (c.op === '>=') return observed >= c.value
      if (c.op === '>') return observed > c.value
      if (c.op === '<=') return observed <= c.value
      return observed < c.value
    }
  }
}
