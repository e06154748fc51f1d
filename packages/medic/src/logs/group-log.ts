/**
 * A worker's grouping inputs for its byte range, compact: per grouped event its key (an exception
 * signature or the masked message tokens, each sent once), time, level, service, line, whether it
 * carries a request id and its known error; example fields only for the events that can become a
 * group's example. The main thread replays them into its Grouper after the ranges before, in input
 * order: Drain's clusters depend on that order, everything else the worker did does not.
 */
import { exampleOf, exceptionGroupInfo, groupingException, templateText, type ExceptionGroupInfo, type GroupExample, type Grouper, type GroupStats } from './aggregate.js'
import { exceptionSignature } from './exceptions.js'
import { detached } from './detach.js'
import { maskTokens } from './mask.js'
import { tieKnown, type KnownHit } from './scan.js'
import type { LogEvent } from './types.js'

export type GroupKey = { sig: string; info: ExceptionGroupInfo } | { tokens: string[] }

export interface GroupLogData {
  n: number
  key: Int32Array
  ts: Float64Array
  level: Uint8Array
  service: Int32Array
  line: Int32Array
  /** 1: the event carries a request/trace id. */
  trace: Uint8Array
  /** Index into the worker's known hits (in their first-seen order), -1 for none. */
  known: Int32Array
  /** Index into `examples`, -1 when the event cannot become an example. */
  example: Int32Array
  keys: GroupKey[]
  services: string[]
  examples: GroupExample[]
}

export class GroupLog {
  private n = 0
  private key = new Int32Array(1024)
  private ts = new Float64Array(1024)
  private level = new Uint8Array(1024)
  private service = new Int32Array(1024)
  private line = new Int32Array(1024)
  private trace = new Uint8Array(1024)
  private example = new Int32Array(1024)
  private readonly hits: (KnownHit | null)[] = []
  private readonly keys: GroupKey[] = []
  private readonly bySig = new Map<string, number>()
  private readonly byTokens = new Map<string, number>()
  /** Per key: an event with a request id was kept as an example. */
  private readonly traced: boolean[] = []
  private readonly services: string[] = []
  private readonly byService = new Map<string, number>()
  private readonly examples: GroupExample[] = []

  /** A scan's group sink: records the event, groups nothing. */
  readonly sink = (ev: LogEvent, hit: KnownHit | null): null => {
    this.record(ev, hit)
    return null
  }

  /** Distinct message keys (each may add one entry to Drain's exact-message cache). */
  templateKeys = 0

  record(ev: LogEvent, hit: KnownHit | null): void {
    let k: number | undefined
    let isNew = false
    const e = groupingException(ev)
    if (e) {
      const sig = exceptionSignature(e)
      k = this.bySig.get(sig)
      if (k === undefined) {
        this.bySig.set(sig, (k = this.keys.length))
        this.keys.push({ sig, info: exceptionGroupInfo(e) })
        isNew = true
      }
    } else {
      const tokens = maskTokens(templateText(ev))
      const key = tokens.join(' ')
      k = this.byTokens.get(key)
      if (k === undefined) {
        this.byTokens.set(key, (k = this.keys.length))
        // kept to the end of the range: copies (see detach.ts)
        this.keys.push({ tokens: tokens.map(detached) })
        this.templateKeys++
        isNew = true
      }
    }
    if (this.n === this.key.length) this.grow()
    const i = this.n++
    this.key[i] = k
    this.ts[i] = ev.ts
    this.level[i] = ev.level
    let s = this.byService.get(ev.service)
    if (s === undefined) {
      this.byService.set(ev.service, (s = this.services.length))
      this.services.push(ev.service)
    }
    this.service[i] = s
    this.line[i] = ev.line
    const traced = ev.traceId !== ''
    this.trace[i] = traced ? 1 : 0
    // Events of one key land in one group (Drain's exact-message cache; one group per signature), so
    // a group's example is the first event of some key or the first of a key to carry a request id.
    this.example[i] = -1
    if (isNew || (traced && !this.traced[k])) {
      this.example[i] = this.examples.length
      this.examples.push(exampleOf(ev))
      if (traced) this.traced[k] = true
    }
    this.hits.push(hit)
  }

  private grow(): void {
    const cap = this.key.length * 2
    const more = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap)
      b.set(a)
      return b
    }
    this.key = more(this.key)
    this.ts = more(this.ts)
    this.level = more(this.level)
    this.service = more(this.service)
    this.line = more(this.line)
    this.trace = more(this.trace)
    this.example = more(this.example)
  }

  /** The log as posted to the main thread; `hitIndex`: each known hit's place in the worker's list. */
  data(hitIndex: Map<KnownHit, number>): GroupLogData {
    const n = this.n
    const known = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const h = this.hits[i]
      known[i] = h ? hitIndex.get(h)! : -1
    }
    return {
      n,
      key: this.key.slice(0, n),
      ts: this.ts.slice(0, n),
      level: this.level.slice(0, n),
      service: this.service.slice(0, n),
      line: this.line.slice(0, n),
      trace: this.trace.slice(0, n),
      known,
      example: this.example.slice(0, n),
      keys: this.keys,
      services: this.services,
      examples: this.examples,
    }
  }
}

/**
 * Group a worker's events on the main thread, in their order: the same calls a single pass makes
 * (Drain, signatures, counts, examples, known errors per group). `hits`: the run's known hits by
 * the worker's index; `lineBase`: lines before the worker's range.
 */
export function replay(d: GroupLogData, grouper: Grouper, si: number, lineBase: number, hits: KnownHit[]): void {
  // a template key's group once assigned: its tokens stay in Drain's cache for the whole replay
  // (parallel.ts replays only when the cache cannot fill up), so later events of the key take
  // the cache hit's path without joining the tokens again
  const byKey: (GroupStats | undefined)[] = []
  for (let i = 0; i < d.n; i++) {
    const ki = d.key[i]
    const k = d.keys[ki]
    let g: GroupStats
    if ('sig' in k) g = grouper.assignException(k.sig, () => k.info)
    else {
      const seen = byKey[ki]
      g = seen !== undefined ? grouper.assignAgain(seen) : (byKey[ki] = grouper.assignTokens(k.tokens))
    }
    g.tally(d.ts[i], d.level[i], d.services[d.service[i]], si)
    if (g.wantsExample(d.trace[i] === 1)) {
      const ex = d.examples[d.example[i]]
      if (ex === undefined) throw new Error('medic logs: a worker did not keep the example a group needs')
      g.example = { ...ex, line: ex.line + lineBase }
    }
    const h = d.known[i]
    if (h >= 0) tieKnown(hits[h], g)
  }
}
