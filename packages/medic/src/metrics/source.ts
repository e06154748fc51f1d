/**
 * Where a metrics target's numbers come from: two scrapes of a /metrics URL a short window apart
 * (rates are the difference), or a Prometheus-compatible query API asked in PromQL.
 * One fetch per target per run, shared by every metrics check through ctx.shared.
 */
import { createRequire } from 'node:module'
import type * as Undici from 'undici'
import type { CheckContext } from '../engine/check.js'
import { reasonOf } from '../engine/errors.js'
import { maskUrl } from '../engine/redact.js'
import { parseExposition, type Exposition } from './parse.js'

const MAX_BODY = 32 * 1024 * 1024

export interface ScrapePair {
  mode: 'scrape'
  url: string
  first: Exposition
  second: Exposition
  windowMs: number
}

export interface PromApi {
  mode: 'prometheus'
  url: string
  job?: string
  /** Instant query; answers the first sample's value or undefined when the result is empty. */
  scalar(promql: string): Promise<number | undefined>
}

export class MetricsUnreachable extends Error {
  constructor(
    readonly kind: 'refused' | 'dns' | 'timeout' | 'http' | 'not-metrics' | 'other',
    message: string,
  ) {
    super(message)
  }
}

function classify(err: unknown, url: string, timedOut: boolean): MetricsUnreachable {
  if (err instanceof MetricsUnreachable) return err
  const code = (err as { cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code
  const host = (() => {
    try {
      return new URL(url).host
    } catch {
      return url
    }
  })()
  if (timedOut || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || (err as Error)?.name === 'AbortError' || (err as Error)?.name === 'TimeoutError')
    return new MetricsUnreachable('timeout', `no answer from ${host} before the deadline`)
  if (code === 'ECONNREFUSED') return new MetricsUnreachable('refused', `connection refused by ${host}`)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new MetricsUnreachable('dns', `host name ${host.split(':')[0]} does not resolve`)
  return new MetricsUnreachable('other', reasonOf((err as { cause?: unknown })?.cause ?? err))
}

interface Fetched {
  body: string
  contentType: string
}

// undici is required on the first scrape, not at start-up: loading it costs every medic command.
let undiciLib: typeof Undici | undefined
const undici = (): typeof Undici => (undiciLib ??= createRequire(import.meta.url)('undici') as typeof Undici)

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

/**
 * GET with undici's `request`, not fetch: fetch refuses the WHATWG "bad ports" (6000, 6665-6669,
 * 10080, ...) and URLs with credentials, both fine for a metrics endpoint. Credentials in the URL go
 * as Basic auth (dropped if a redirect leaves the origin); the body is read up to MAX_BODY.
 */
async function get(url: string, signal: AbortSignal, accept: string): Promise<Fetched> {
  let u = new URL(url)
  const origin = u.origin
  const auth = u.username || u.password ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}` : undefined
  for (let hop = 0; ; hop++) {
    u.username = ''
    u.password = ''
    const headers: Record<string, string> = { accept }
    if (auth && u.origin === origin) headers.authorization = auth
    let res: Awaited<ReturnType<typeof Undici.request>>
    try {
      // reset: no kept-alive socket left behind to hold the process open after the run.
      res = await undici().request(u, { method: 'GET', headers, signal, reset: true })
    } catch (err) {
      throw classify(err, url, signal.aborted)
    }
    const location = res.headers.location
    if (REDIRECTS.has(res.statusCode) && typeof location === 'string' && hop < MAX_REDIRECTS) {
      await res.body.dump().catch(() => {})
      u = new URL(location, u)
      continue
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump().catch(() => {})
      throw new MetricsUnreachable('http', `${maskUrl(url)} answered HTTP ${res.statusCode}`)
    }
    const chunks: Buffer[] = []
    let size = 0
    try {
      for await (const chunk of res.body) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
        size += buf.length
        if (size > MAX_BODY) {
          res.body.destroy()
          throw new MetricsUnreachable('other', `metrics body larger than ${MAX_BODY / 1024 / 1024} MB`)
        }
        chunks.push(buf)
      }
    } catch (err) {
      throw classify(err, url, signal.aborted)
    }
    const type = res.headers['content-type']
    return { body: Buffer.concat(chunks).toString('utf8'), contentType: (Array.isArray(type) ? type[0] : type) ?? '' }
  }
}

/**
 * A 200 whose body holds no sample and declares no metric family is not a metrics endpoint (a
 * login page, an SPA's index.html, an empty reply): the metrics are unavailable. An HTML page is
 * never exposition text, even if a line of it happens to parse as a sample.
 */
function requireExposition(url: string, got: Fetched): Exposition {
  const parsed = parseExposition(got.body)
  const html = /^\s*text\/html/i.test(got.contentType)
  if ((parsed.samples.length > 0 || parsed.types.size > 0) && !html) return parsed
  // Whitespace folded, control bytes shown as "." so the evidence stays one readable line.
  const first = got.body.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '.').trim().slice(0, 60)
  const bytes = first ? `first bytes "${first}${got.body.trim().length > 60 ? '…' : ''}"` : 'empty body'
  throw new MetricsUnreachable(
    'not-metrics',
    `${maskUrl(url)} answered HTTP 200 but with no Prometheus samples (content-type ${got.contentType || 'none'}; ${bytes})`,
  )
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(t)
      reject(new MetricsUnreachable('timeout', 'deadline passed during the observation window'))
    }, { once: true })
  })

const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1'

export async function scrapeTwice(url: string, windowMs: number, signal: AbortSignal): Promise<ScrapePair> {
  const t0 = performance.now()
  const first = requireExposition(url, await get(url, signal, ACCEPT))
  const rest = Math.max(0, windowMs - (performance.now() - t0))
  await sleep(rest, signal)
  const t1 = performance.now()
  const second = requireExposition(url, await get(url, signal, ACCEPT))
  return { mode: 'scrape', url, first, second, windowMs: Math.max(1, t1 - t0) }
}

export function promApi(base: string, signal: AbortSignal, job?: string): PromApi {
  const root = base.replace(/\/+$/, '')
  return {
    mode: 'prometheus',
    url: root,
    job,
    async scalar(promql: string) {
      const { body } = await get(`${root}/api/v1/query?query=${encodeURIComponent(promql)}`, signal, 'application/json')
      let doc: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } }
      try {
        doc = JSON.parse(body)
      } catch {
        throw new MetricsUnreachable('other', `${maskUrl(root)} did not answer Prometheus API JSON`)
      }
      if (doc.status !== 'success') throw new MetricsUnreachable('other', `query failed: ${doc.error ?? 'unknown error'}`)
      const r = doc.data?.result
      if (doc.data?.resultType === 'scalar' && Array.isArray(r)) return Number(r[1])
      if (Array.isArray(r) && r.length > 0) return Number((r[0] as { value: [number, string] }).value[1])
      return undefined
    },
  }
}

/** `{job="api"}` selector text to add to PromQL, or empty. */
export function jobMatcher(job?: string, extra = ''): string {
  const parts = [job ? `job="${job.replace(/"/g, '\\"')}"` : '', extra].filter(Boolean)
  return parts.length ? `{${parts.join(',')}}` : ''
}

export type MetricsData = ScrapePair | PromApi

/** The target's data for this run, fetched once. Throws MetricsUnreachable when it cannot be had. */
export function metricsData(ctx: CheckContext, windowMs: number): Promise<MetricsData> {
  const o = ctx.target.options as { url?: string; prometheus?: string; job?: string }
  return ctx.shared.get(`metrics:${ctx.target.id}`, async () => {
    if (o.prometheus) {
      const api = promApi(o.prometheus, ctx.signal, o.job)
      // A cheap query proves the API answers before the checks ask their questions.
      await api.scalar('vector(1)')
      return api
    }
    return scrapeTwice(o.url!, windowMs, ctx.signal)
  })
}

/** For checks other than metrics.scrape: skip when the target could not be read (scrape reports it). */
export async function metricsOrSkip(ctx: CheckContext, windowMs: number): Promise<MetricsData> {
  try {
    return await metricsData(ctx, windowMs)
  } catch (err) {
    ctx.skip(`metrics unavailable (see metrics.scrape): ${reasonOf(err)}`)
  }
}
