/**
 * Qdrant's REST API as the qdrant checks need it: one HTTP client per target, GET /collections once
 * per run (qdrant.connect reports when it fails; the other checks skip), and GET /collections/{name}
 * once per collection per run, shared between the checks that read it.
 */
import type { CheckContext } from '../../engine/check.js'
import { maskUrl } from '../../engine/redact.js'
import { createProbeClient, joinUrl, NetFailure, probeBudget, type HttpResult, type ProbeClient } from '../external/http-probe.js'
import { modelDimensions } from './embedding-models.js'

export interface CollectionSpec {
  size?: number
  model?: string
  vector?: string
  distance?: 'Cosine' | 'Euclid' | 'Dot' | 'Manhattan'
}

export interface QdrantSetup {
  url: string
  /** URL without credentials, for evidence and commands. */
  display: string
  apiKey?: string
  collections: Record<string, CollectionSpec>
}

export function setupOf(ctx: CheckContext): QdrantSetup {
  const o = ctx.target.options as { url: string; apiKey?: string; collections?: Record<string, CollectionSpec> }
  const url = o.url.replace(/\/+$/, '')
  return { url, display: maskUrl(url).replace(/\/+$/, ''), apiKey: o.apiKey || undefined, collections: o.collections ?? {} }
}

/** `curl -s http://h:6333/collections/x`, with the key header as a shell variable when one is configured. */
export function curl(s: QdrantSetup, path: string): string {
  return `curl -s ${joinUrl(s.display, path)}${s.apiKey ? ' -H "api-key: $QDRANT_API_KEY"' : ''}`
}

/** Expected vector size of a configured collection: `size`, else the model's dimensions. */
export function expectedSize(spec: CollectionSpec): number | undefined {
  return spec.size ?? (spec.model ? modelDimensions(spec.model) : undefined)
}

function clientOf(ctx: CheckContext): Promise<ProbeClient> {
  return ctx.shared.get(`qdrant:http:${ctx.target.id}`, async () => createProbeClient(), (c) => c.close())
}

export type Answer = { result: HttpResult; json: unknown } | { failure: NetFailure }

async function get(ctx: CheckContext, path: string): Promise<Answer> {
  const s = setupOf(ctx)
  const client = await clientOf(ctx)
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'medic (read-only probe)' }
  if (s.apiKey) headers['api-key'] = s.apiKey
  try {
    const result = await client.get(joinUrl(s.url, path), { headers, timeoutMs: probeBudget(ctx.remainingMs()), signal: ctx.signal })
    let json: unknown
    try {
      json = JSON.parse(result.body)
    } catch {
      json = undefined
    }
    return { result, json }
  } catch (err) {
    if (err instanceof NetFailure) return { failure: err }
    throw err
  }
}

/** GET /collections, once per run per target. */
export function listAnswer(ctx: CheckContext): Promise<Answer> {
  return ctx.shared.get(`qdrant:list:${ctx.target.id}`, () => get(ctx, '/collections'))
}

/** Qdrant's version from GET / (`{"title":"qdrant - vector search engine","version":"1.12.1"}`), or undefined. */
export async function serverVersion(ctx: CheckContext): Promise<string | undefined> {
  const a = await get(ctx, '/')
  if ('failure' in a || a.result.status !== 200) return undefined
  const v = (a.json as { version?: unknown } | undefined)?.version
  return typeof v === 'string' ? v : undefined
}

/** `alias → collection` pairs from GET /aliases (only asked when a collection is missing); empty when unavailable. */
export function aliasesAnswer(ctx: CheckContext): Promise<string[]> {
  return ctx.shared.get(`qdrant:aliases:${ctx.target.id}`, async () => {
    const a = await get(ctx, '/aliases')
    if ('failure' in a || a.result.status !== 200) return []
    const list = (a.json as { result?: { aliases?: { alias_name?: string; collection_name?: string }[] } } | undefined)?.result?.aliases
    return Array.isArray(list) ? list.map((x) => `${x.alias_name} → ${x.collection_name}`).sort() : []
  })
}

/** Names from a GET /collections body, or undefined when the body is not Qdrant's. */
export function namesOf(json: unknown): string[] | undefined {
  const list = (json as { result?: { collections?: unknown } } | undefined)?.result?.collections
  if (!Array.isArray(list)) return undefined
  return list.map((c) => String((c as { name?: unknown }).name)).sort()
}

/** Existing collection names; skips the calling check when Qdrant could not be listed (qdrant.connect says why). */
export async function existingCollections(ctx: CheckContext): Promise<string[]> {
  const a = await listAnswer(ctx)
  if ('failure' in a) return ctx.skip('Qdrant is unreachable (see qdrant.connect)')
  const names = a.result.status === 200 ? namesOf(a.json) : undefined
  if (!names) return ctx.skip(`GET /collections answered HTTP ${a.result.status} (see qdrant.connect)`)
  return names
}

export interface VectorParams {
  /** '' for the single unnamed vector. */
  name: string
  size: number
  distance?: string
}

export interface CollectionInfo {
  status: string
  optimizerStatus: string
  optimizerError?: string
  /** points_count, or the older vectors_count when that is all the server reports. */
  points?: number
  pointsSource: 'points_count' | 'vectors_count' | 'none'
  indexedVectors?: number
  segments?: number
  vectors: VectorParams[]
  sparse: string[]
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** Read the `result` of GET /collections/{name}: status, counts, and vector params (single, named, or pre-0.10 `vector_size`). */
export function parseCollection(json: unknown): CollectionInfo | undefined {
  const r = (json as { result?: Record<string, unknown> } | undefined)?.result
  if (!r || typeof r !== 'object') return undefined
  const opt = r.optimizer_status
  const optimizerError = opt && typeof opt === 'object' ? String((opt as { error?: unknown }).error ?? JSON.stringify(opt)) : undefined
  const params = ((r.config as { params?: Record<string, unknown> } | undefined)?.params ?? {}) as Record<string, unknown>
  const vectors: VectorParams[] = []
  const v = params.vectors as Record<string, unknown> | undefined
  if (v && typeof v === 'object') {
    if (num(v.size) !== undefined) vectors.push({ name: '', size: num(v.size)!, distance: typeof v.distance === 'string' ? v.distance : undefined })
    else {
      for (const [name, p] of Object.entries(v)) {
        const size = num((p as { size?: unknown })?.size)
        if (size !== undefined) vectors.push({ name, size, distance: (p as { distance?: string }).distance })
      }
    }
  } else if (num(params.vector_size) !== undefined) {
    vectors.push({ name: '', size: num(params.vector_size)!, distance: typeof params.distance === 'string' ? params.distance : undefined })
  }
  const sparse = params.sparse_vectors && typeof params.sparse_vectors === 'object' ? Object.keys(params.sparse_vectors) : []
  const points = num(r.points_count)
  const vectorsCount = num(r.vectors_count)
  return {
    status: typeof r.status === 'string' ? r.status : 'unknown',
    optimizerStatus: optimizerError ? 'error' : typeof opt === 'string' ? opt : 'unknown',
    optimizerError,
    points: points ?? vectorsCount,
    pointsSource: points !== undefined ? 'points_count' : vectorsCount !== undefined ? 'vectors_count' : 'none',
    indexedVectors: num(r.indexed_vectors_count),
    segments: num(r.segments_count),
    vectors,
    sparse,
  }
}

export type CollectionAnswer =
  | { name: string; kind: 'ok'; info: CollectionInfo }
  | { name: string; kind: 'missing'; message: string }
  | { name: string; kind: 'error'; message: string }

/** GET /collections/{name}, once per run per collection. */
export function collectionAnswer(ctx: CheckContext, name: string): Promise<CollectionAnswer> {
  return ctx.shared.get(`qdrant:collection:${ctx.target.id}:${name}`, async () => {
    const a = await get(ctx, `/collections/${encodeURIComponent(name)}`)
    if ('failure' in a) return { name, kind: 'error', message: `GET /collections/${name} failed: ${a.failure.kind} (${a.failure.message})` }
    const errText = (a.json as { status?: { error?: string } } | undefined)?.status?.error ?? a.result.body.slice(0, 200)
    if (a.result.status === 404) return { name, kind: 'missing', message: errText }
    const info = a.result.status === 200 ? parseCollection(a.json) : undefined
    if (!info) return { name, kind: 'error', message: `GET /collections/${name} answered HTTP ${a.result.status}: ${errText}` }
    return { name, kind: 'ok', info }
  })
}

/**
 * The collections a check looks at: the configured ones, or (none configured) every existing one
 * up to `max`, so a discovered Qdrant still gets its empty/degraded collections reported.
 */
export async function collectionsToInspect(ctx: CheckContext, max: number): Promise<{ names: string[]; configured: boolean; existing: string[]; truncated: number }> {
  const existing = await existingCollections(ctx)
  const configured = Object.keys(setupOf(ctx).collections)
  if (configured.length) return { names: configured, configured: true, existing, truncated: 0 }
  return { names: existing.slice(0, max), configured: false, existing, truncated: Math.max(0, existing.length - max) }
}

/** Existing collections as evidence: `a, b, c (3)`. */
export function listText(names: string[]): string {
  if (!names.length) return 'none (0)'
  const shown = names.slice(0, 20).join(', ')
  return `${shown}${names.length > 20 ? ', …' : ''} (${names.length})`
}
