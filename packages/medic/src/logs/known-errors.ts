/** Matching records against the known-error signatures of known-errors.data.ts. */
import { wasmAutomaton } from './fast-scan.js'
import { KNOWN_ERRORS, type KnownErrorSpec } from './known-errors.data.js'

export interface CompiledKnownError extends KnownErrorSpec {
  re: RegExp
}

/** Well-known ports, to name the dependency behind `ECONNREFUSED 127.0.0.1:6379`. */
const PORTS: Record<string, string> = { '5432': 'PostgreSQL', '3306': 'MySQL/MariaDB', '6379': 'Redis', '6333': 'Qdrant', '9200': 'Elasticsearch', '27017': 'MongoDB', '5672': 'RabbitMQ', '11211': 'Memcached', '9092': 'Kafka' }

export const COMPILED: CompiledKnownError[] = KNOWN_ERRORS.map((k) => ({ ...k, re: new RegExp(k.pattern, k.flags ?? '') }))

const NEEDLES = COMPILED.flatMap((k) => k.needles)
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** The reference (and fallback) test: any needle in the text? */
export const ANY_NEEDLE = new RegExp(NEEDLES.map(escape).join('|'))

/**
 * One pass over the text tells which signatures have a needle in it (most records: none): an
 * Aho-Corasick automaton over 7-bit characters, one table step per character (2-3x faster than a
 * regex alternation of the needles, and no second pass of includes() per signature). Each state
 * carries the bit mask of the signatures whose needles end there. The needles are ASCII, so a
 * non-ASCII character restarts it. Null when that does not hold (the includes() loop is used).
 */
function buildAutomaton(specs: CompiledKnownError[]): Automaton | null {
  if (specs.length > 31 || specs.some((k) => k.needles.some((n) => n.length === 0 || /[^\x00-\x7f]/.test(n)))) return null
  // the trie: per state its children (character → state) and the signatures whose needles end there
  const children: Map<number, number>[] = [new Map()]
  const ends: number[] = [0]
  specs.forEach((k, si) => {
    for (const n of k.needles) {
      let st = 0
      for (let i = 0; i < n.length; i++) {
        const c = n.charCodeAt(i)
        let t = children[st].get(c)
        if (t === undefined) {
          t = children.length
          children[st].set(c, t)
          children.push(new Map())
          ends.push(0)
        }
        st = t
      }
      ends[st] |= 1 << si
    }
  })
  // The table holds each target as its row offset (state << 7), negated for a state that ends a
  // needle: the step needs no shift, and the mask is read only where a needle ends (rarely). A
  // state's row is its fallback's row with its own children set: breadth first, a fallback is
  // shallower, so its row (and its mask, set when it was reached) is already final. (One copy per
  // state: this runs once per process, in the interpreter, where a loop over every entry costs ms.)
  const n = children.length
  const fail = new Int32Array(n)
  const maskAt = new Int32Array(n)
  const step = new Int32Array(n * 128)
  const enc = (t: number): number => (maskAt[t] !== 0 ? -(t << 7) : t << 7)
  const queue: number[] = []
  for (const [c, t] of children[0]) {
    maskAt[t] = ends[t]
    step[c] = enc(t)
    queue.push(t)
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const st = queue[qi]
    const row = st << 7
    const fallback = fail[st] << 7
    step.copyWithin(row, fallback, fallback + 128)
    for (const [c, t] of children[st]) {
      const e = step[fallback + c]
      fail[t] = (e < 0 ? -e : e) >> 7
      maskAt[t] = ends[t] | maskAt[fail[t]]
      step[row + c] = enc(t)
      queue.push(t)
    }
  }
  const js = (text: string): number => {
    let row = 0
    let found = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c > 127) {
        row = 0
        continue
      }
      row = step[row | c]
      if (row < 0) {
        row = -row
        found |= maskAt[row >> 7]
      }
    }
    return found
  }
  // the same table in WebAssembly where it runs: a text's characters one table step each, two
  // halves at once, without a string read per character (3-4x faster on records of a few hundred)
  const longest = Math.max(...specs.flatMap((k) => k.needles.map((n) => n.length)))
  const wasm = wasmAutomaton(step, maskAt, longest)
  return { js, wasm, run: wasm === null ? js : (text) => wasm(text) ?? js(text) }
}

/** The automaton: in JavaScript, in WebAssembly (null without the module), and the one in use. */
export interface Automaton {
  js: (text: string) => number
  wasm: ((text: string) => number | null) | null
  run: (text: string) => number
}

// built on first use: commands that never read a log do not pay for it
let automaton: Automaton | null | undefined

/** The automaton needleMask uses (for tests), or null where the signatures do not fit one. */
export function needleAutomaton(): Automaton | null {
  if (automaton === undefined) automaton = buildAutomaton(COMPILED)
  return automaton
}

/** Bit i set: COMPILED[i] has a needle in `text` (same answer as includes() of each needle). */
export function needleMask(text: string): number {
  if (automaton === undefined) automaton = buildAutomaton(COMPILED)
  if (automaton) return automaton.run(text)
  let found = 0
  COMPILED.forEach((k, i) => {
    if (k.needles.some((n) => text.includes(n))) found |= 1 << i
  })
  return found
}

/** Does any known-error needle occur in `text`? */
export const anyNeedle = (text: string): boolean => needleMask(text) !== 0

/**
 * The known error this text matches (the list is ordered most specific first: one cause per
 * record), with a detail from the pattern's first capture (`Redis at 127.0.0.1:6379`).
 */
export function matchKnown(text: string): { spec: CompiledKnownError; detail: string }[] {
  const found = needleMask(text)
  if (found === 0) return []
  for (let i = 0; i < COMPILED.length; i++) {
    const k = COMPILED[i]
    if ((found & (1 << i)) === 0) continue
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

/**
 * Cheap test for info-level lines that may still carry a known error (an upstream 429, a rate
 * limit, a deprecation): ` 429`, `RateLimit` or `utcnow`. The same needles serve the block fast
 * path (find429, findRareKnown), searched by rare letters: a regex over them costs ~120 ns a line.
 */
export function maybeKnownAtInfo(line: string): boolean {
  return find429(line, -1) >= 0 || findRareKnown(line, 0) >= 0
}

/** The next `RateLimit` or `utcnow` from `from` (the rest of maybeKnownAtInfo's needles), or -1. */
export function findRareKnown(text: string, from: number): number {
  const r = findRateLimit(text, from)
  const u = findUtcnow(text, from)
  return r < 0 ? u : u < 0 ? r : Math.min(r, u)
}

/**
 * The next `RateLimit` from `from`, or -1; searched by `Limit`. A block scan keeps one cursor per
 * needle: searching both again after each hit of one would cross the rest of the block for the
 * other every time.
 */
export function findRateLimit(text: string, from: number): number {
  let r = text.indexOf('Limit', from + 4)
  while (r >= 0 && !text.startsWith('Rate', r - 4)) r = text.indexOf('Limit', r + 1)
  return r < 0 ? -1 : r - 4
}

/** The next `utcnow` from `from`, or -1. */
export function findUtcnow(text: string, from: number): number {
  return text.indexOf('utcnow', from)
}

/**
 * text.indexOf(' 429', from), found by its digits: V8 searches a pattern led by a space (common in
 * logs) about half as fast as one led by the rarer `4`.
 */
export function find429(text: string, from: number): number {
  for (let i = text.indexOf('429', from + 1); i >= 0; i = text.indexOf('429', i + 1)) if (text.charCodeAt(i - 1) === 32) return i - 1
  return -1
}

