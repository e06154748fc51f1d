/**
 * Grouping and counting. Events with an exception group by its signature; others by their Drain
 * template. Each group keeps its count per minute, first/last seen, an example (preferably one
 * carrying a request ID) and the known errors it matched. Totals count every event per level and
 * per minute (errors and 5xx too) without keeping the events.
 */
import { detached } from './detach.js'
import { Drain, mergeVariableWords, templateOf, type Cluster } from './drain.js'
import { exceptionSignature, frameLabel, groupId, topFrames } from './exceptions.js'
import { maskTokens } from './mask.js'
import { LEVEL, levelName, type ExceptionInfo, type LogEvent } from './types.js'

export interface GroupExample {
  ts: number
  level: number
  service: string
  message: string
  traceId: string
  source: number
  line: number
  raw: string
}

const MAX_EXAMPLE = 4000

export function exampleOf(ev: LogEvent): GroupExample {
  // kept to the end: copies (see detach.ts)
  return {
    ts: ev.ts,
    level: ev.level,
    service: detached(ev.service),
    message: detached(ev.message.length > 500 ? ev.message.slice(0, 500) + '…' : ev.message),
    traceId: detached(ev.traceId),
    source: ev.source,
    line: ev.line,
    raw: detached(ev.raw.length > MAX_EXAMPLE ? ev.raw.slice(0, MAX_EXAMPLE) + '…' : ev.raw),
  }
}

/** What an exception group shows: type, message, top frames as labels, chain. */
export interface ExceptionGroupInfo {
  type: string
  message: string
  frames: string[]
  chain: string[]
}

export function exceptionGroupInfo(e: ExceptionInfo): ExceptionGroupInfo {
  return { type: e.type, message: e.message.slice(0, 300), frames: topFrames(e).map(frameLabel), chain: e.chain }
}

/**
 * The exception an event groups by (type, chain, top frames), or null: then it groups as a template
 * of templateText. An exception with no frame to tell where groups by its message, as a template
 * (bounded like any other: "KeyError: 'a'" and "KeyError: 'b'" are one template, not one group per key).
 */
export function groupingException(ev: LogEvent): ExceptionInfo | null {
  const e = ev.exception
  return e && e.frames.length > 0 ? e : null
}

/** The text an event without a grouping exception is grouped by: its message content (or the record). */
export function templateText(ev: LogEvent): string {
  const text = ev.message || ev.raw
  return ev.contentStart > 0 && ev.contentStart < text.length ? text.slice(ev.contentStart) : text
}

export class GroupStats {
  id = ''
  count = 0
  level = 0
  first = NaN
  last = NaN
  readonly perMinute = new Map<number, number>()
  example: GroupExample | null = null
  readonly services = new Set<string>()
  readonly sources = new Set<number>()
  readonly known = new Map<string, number>()
  private lastMinute = NaN
  private lastMinuteCount = 0

  constructor(
    /** Dense index in the run (emit mode refers to groups by it before ids are final). */
    readonly ref: number,
    readonly kind: 'exception' | 'template',
    /** exception signature, or the Drain cluster */
    readonly signature: string,
    readonly cluster: Cluster | null,
    readonly exception?: ExceptionGroupInfo,
  ) {}

  add(ev: LogEvent): void {
    this.tally(ev.ts, ev.level, ev.service, ev.source)
    if (this.wantsExample(ev.traceId !== '')) this.example = exampleOf(ev)
  }

  /** Count one event (its example aside: see wantsExample). */
  tally(ts: number, level: number, service: string, source: number): void {
    this.count++
    if (level > this.level) this.level = level
    if (ts === ts) {
      if (!(ts >= this.first)) this.first = ts
      if (!(ts <= this.last)) this.last = ts
      const m = Math.floor(ts / 60_000)
      if (m === this.lastMinute) this.lastMinuteCount++
      else {
        this.flushMinute()
        this.lastMinute = m
        this.lastMinuteCount = 1
      }
    }
    if (service && this.services.size < 20) this.services.add(service)
    this.sources.add(source)
  }

  /** Would the next event become the example: the first one, or the first that carries a request id? */
  wantsExample(hasTraceId: boolean): boolean {
    return this.example === null || (!this.example.traceId && hasTraceId)
  }

  private flushMinute(): void {
    if (this.lastMinuteCount > 0) this.perMinute.set(this.lastMinute, (this.perMinute.get(this.lastMinute) ?? 0) + this.lastMinuteCount)
    this.lastMinuteCount = 0
  }

  /** Settle pending counters and compute the stable id. */
  finish(): void {
    this.flushMinute()
    this.lastMinute = NaN
    this.id = groupId(this.kind === 'template' ? `tpl|${this.template()}` : this.signature)
  }

  /** The id as it stands now (templates may still generalise; `--follow` prints this). */
  provisionalId(): string {
    return groupId(this.kind === 'template' ? `tpl|${this.template()}` : this.signature)
  }

  template(): string {
    return this.cluster ? templateOf(this.cluster) : this.signature
  }

  /** One line for people: the template, or the exception type at its top in-app frame. */
  title(): string {
    if (this.exception) {
      const where = this.exception.frames[0] ? ` at ${this.exception.frames[0]}` : ''
      const chain = this.exception.chain.length ? ` (after ${this.exception.chain.join(' ← ')})` : ''
      return `${this.exception.type}${where}${chain}`
    }
    return this.template()
  }

  /** Count within [from, to) (epoch ms). */
  countBetween(from: number, to: number): number {
    let n = 0
    const a = Math.floor(from / 60_000)
    const b = Math.ceil(to / 60_000)
    for (const [m, c] of this.perMinute) if (m >= a && m < b) n += c
    return n
  }
}

/** Assigns every event to a group. */
export class Grouper {
  readonly drain: Drain
  readonly groups: GroupStats[] = []
  private readonly byCluster: GroupStats[] = []
  private readonly bySignature = new Map<string, GroupStats>()

  constructor(similarity?: number) {
    this.drain = new Drain({ similarity })
  }

  assign(ev: LogEvent): GroupStats {
    const e = groupingException(ev)
    if (e) return this.assignException(exceptionSignature(e), () => exceptionGroupInfo(e))
    return this.assignTokens(maskTokens(templateText(ev)))
  }

  /** The group of an exception signature (`info` describes it when it is new). */
  assignException(sig: string, info: () => ExceptionGroupInfo): GroupStats {
    let g = this.bySignature.get(sig)
    if (!g) {
      g = new GroupStats(this.groups.length, 'exception', sig, null, info())
      this.groups.push(g)
      this.bySignature.set(sig, g)
    }
    return g
  }

  /** The group of a message's masked tokens (through Drain: order matters, call in input order). */
  assignTokens(tokens: string[]): GroupStats {
    this.templateAdds++
    const c = this.drain.add(tokens)
    let g = this.byCluster[c.index]
    if (!g) {
      g = new GroupStats(this.groups.length, 'template', '', c)
      this.groups.push(g)
      this.byCluster[c.index] = g
    }
    return g
  }

  /**
   * assignTokens of tokens assigned to `g` before and still in Drain's exact-message cache (a
   * worker's replay, key by key): the same counts, without joining the tokens again.
   */
  assignAgain(g: GroupStats): GroupStats {
    this.templateAdds++
    this.drain.again(g.cluster!)
    return g
  }

  /** Messages handed to Drain so far. */
  templateAdds = 0

  /** At most how many messages Drain's exact-message cache holds now. */
  cachedMessagesBound(): number {
    // read when Drain still keeps it under that name; else every message handed to it
    const cache: unknown = Reflect.get(this.drain, 'cache')
    return cache instanceof Map ? Math.min(cache.size, this.templateAdds) : this.templateAdds
  }

  /**
   * Final groups: ids computed, groups whose templates converged to the same text merged.
   * Returns the merged list and, per ref, the final id.
   */
  finish(): { groups: GroupStats[]; idOfRef: string[] } {
    // clusters split only by a variable word in their first tokens become one template
    const joined = mergeVariableWords(this.drain)
    for (const c of this.drain.clusters) {
      const root = joined[c.index]
      if (root !== c.index) c.tokens = this.drain.clusters[root].tokens.slice()
    }
    const byId = new Map<string, GroupStats>()
    const idOfRef: string[] = []
    for (const g of this.groups) {
      g.finish()
      idOfRef[g.ref] = g.id
      const prev = byId.get(g.id)
      if (!prev) byId.set(g.id, g)
      else mergeInto(prev, g)
    }
    return { groups: [...byId.values()], idOfRef }
  }
}

function mergeInto(a: GroupStats, b: GroupStats): void {
  a.count += b.count
  a.level = Math.max(a.level, b.level)
  if (!(a.first <= b.first)) a.first = b.first
  if (!(a.last >= b.last)) a.last = b.last
  for (const [m, c] of b.perMinute) a.perMinute.set(m, (a.perMinute.get(m) ?? 0) + c)
  for (const s of b.services) a.services.add(s)
  for (const s of b.sources) a.sources.add(s)
  for (const [k, n] of b.known) a.known.set(k, (a.known.get(k) ?? 0) + n)
  if (!a.example || (!a.example.traceId && b.example?.traceId)) a.example = b.example
}

export interface MinuteTotals {
  events: number
  errors: number
  s5xx: number
}

/** Counts over every event (kept or not), per level and per minute. */
export class Totals {
  events = 0
  errors = 0
  warnings = 0
  readonly byLevel: Record<string, number> = { fatal: 0, error: 0, warn: 0, info: 0, debug: 0, trace: 0, none: 0 }
  first = NaN
  last = NaN
  untimed = 0
  http = { requests: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, durations: 0, durationSum: 0 }
  readonly perMinute = new Map<number, MinuteTotals>()
  private curMinute = NaN
  private cur: MinuteTotals | null = null
  private readonly levelCounts = new Float64Array(7)

  count(ts: number, level: number, status: number): void {
    this.events++
    // index: 0 none, 1 trace, 2 debug, 3 info, 4 warn, 5 error, 6 fatal
    const li = level >= 60 ? 6 : level >= 10 ? Math.floor(level / 10) : 0
    this.levelCounts[li]++
    const err = level >= LEVEL.error
    if (err) this.errors++
    else if (level >= LEVEL.warn) this.warnings++
    const s5 = status >= 500
    if (status > 0) {
      const h = this.http
      h.requests++
      if (s5) h.s5xx++
      else if (status >= 400) h.s4xx++
      else if (status >= 300) h.s3xx++
      else h.s2xx++
    }
    if (ts !== ts) {
      this.untimed++
      return
    }
    if (!(ts >= this.first)) this.first = ts
    if (!(ts <= this.last)) this.last = ts
    const cur = this.minute(Math.floor(ts / 60_000))
    cur.events++
    if (err) cur.errors++
    if (s5) cur.s5xx++
  }

  /** The counters of minute m (made when first seen; the last one is kept at hand). */
  private minute(m: number): MinuteTotals {
    let cur = this.cur
    if (m !== this.curMinute || cur === null) {
      cur = this.perMinute.get(m) ?? null
      if (!cur) {
        cur = { events: 0, errors: 0, s5xx: 0 }
        this.perMinute.set(m, cur)
      }
      this.cur = cur
      this.curMinute = m
    }
    return cur
  }

  /**
   * Add a run of timed lines of one minute counted elsewhere (fast-scan.ts): `slots` per level
   * slot (0 none, 1 trace … 6 fatal), `first`/`last` their earliest and latest time, `http` their
   * request lines per status class (2xx, 3xx, 4xx, 5xx). The same sums as count() per line.
   */
  countRun(slots: Int32Array, first: number, last: number, http: Int32Array): void {
    let events = 0
    for (let i = 0; i < 7; i++) {
      events += slots[i]
      this.levelCounts[i] += slots[i]
    }
    if (events === 0) return
    const errors = slots[5] + slots[6]
    this.events += events
    this.errors += errors
    this.warnings += slots[4]
    const h = this.http
    h.s2xx += http[0]
    h.s3xx += http[1]
    h.s4xx += http[2]
    h.s5xx += http[3]
    h.requests += http[0] + http[1] + http[2] + http[3]
    if (!(first >= this.first)) this.first = first
    if (!(last <= this.last)) this.last = last
    const cur = this.minute(Math.floor(first / 60_000))
    cur.events += events
    cur.errors += errors
    cur.s5xx += http[3]
  }

  /**
   * Add the counts of a later part of the input (a worker's Totals, as posted). New minutes go
   * after this one's, so the per-minute map keeps the order of a single pass.
   */
  merge(o: Totals): void {
    this.events += o.events
    this.errors += o.errors
    this.warnings += o.warnings
    this.untimed += o.untimed
    for (let i = 0; i < 7; i++) this.levelCounts[i] += o.levelCounts[i]
    // NaN: no timed event there
    if (o.first === o.first && !(o.first >= this.first)) this.first = o.first
    if (o.last === o.last && !(o.last <= this.last)) this.last = o.last
    const h = this.http
    for (const k of Object.keys(h) as (keyof typeof h)[]) h[k] += o.http[k]
    for (const [m, t] of o.perMinute) {
      const cur = this.perMinute.get(m)
      if (!cur) this.perMinute.set(m, { events: t.events, errors: t.errors, s5xx: t.s5xx })
      else {
        cur.events += t.events
        cur.errors += t.errors
        cur.s5xx += t.s5xx
      }
    }
  }

  finish(): void {
    const names = ['none', 'trace', 'debug', 'info', 'warn', 'error', 'fatal']
    for (let i = 0; i < 7; i++) this.byLevel[names[i]] = this.levelCounts[i]
  }

  /** Totals within [from, to). */
  between(from: number, to: number): MinuteTotals & { minutes: number; max5xxPerMinute: number } {
    const a = Math.floor(from / 60_000)
    const b = Math.ceil(to / 60_000)
    const out = { events: 0, errors: 0, s5xx: 0, minutes: 0, max5xxPerMinute: 0 }
    for (const [m, t] of this.perMinute) {
      if (m < a || m >= b) continue
      out.events += t.events
      out.errors += t.errors
      out.s5xx += t.s5xx
      out.minutes++
      if (t.s5xx > out.max5xxPerMinute) out.max5xxPerMinute = t.s5xx
    }
    return out
  }
}

export { levelName }
