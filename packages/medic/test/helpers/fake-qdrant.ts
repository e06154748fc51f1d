/**
 * Qdrant cannot run in the test environment, so the qdrant tests serve the DOCUMENTED shapes of its
 * REST answers (https://api.qdrant.tech/api-reference: GET /collections, GET /collections/{name},
 * the 404 `{"status":{"error":"Not found: Collection `x` doesn't exist!"}}` and the API-key
 * refusals) from a local node:http server.
 */
import { fakeHttp, type FakeAnswer, type FakeRoutes, type FakeServer } from './fake-http.js'

export interface CollectionFixture {
  status?: 'green' | 'yellow' | 'grey' | 'red'
  /** `ok`, or an error text (served as `{"error": text}` like Qdrant does). */
  optimizer?: string
  points?: number
  /** Serve the pre-1.10 shape: `vectors_count` and no `points_count`. */
  legacyCounts?: boolean
  vectors?: { size: number; distance: string } | Record<string, { size: number; distance: string }>
}

/** GET /collections/{name} as Qdrant answers it. */
export function collectionBody(c: CollectionFixture = {}): unknown {
  const points = c.points ?? 1200
  const counts = c.legacyCounts
    ? { vectors_count: points, indexed_vectors_count: points, segments_count: 2 }
    : { indexed_vectors_count: points, points_count: points, segments_count: 8 }
  return {
    result: {
      status: c.status ?? 'green',
      optimizer_status: !c.optimizer || c.optimizer === 'ok' ? 'ok' : { error: c.optimizer },
      ...counts,
      config: {
        params: {
          vectors: c.vectors ?? { size: 1536, distance: 'Cosine' },
          shard_number: 1,
          replication_factor: 1,
          write_consistency_factor: 1,
          on_disk_payload: true,
        },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, max_segment_size: null, memmap_threshold: null, indexing_threshold: 20000, flush_interval_sec: 5, max_optimization_threads: null },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        quantization_config: null,
      },
      payload_schema: {},
    },
    status: 'ok',
    time: 0.000042,
  }
}

const missing = (name: string): FakeAnswer => ({ status: 404, body: { status: { error: `Not found: Collection \`${name}\` doesn't exist!` }, time: 0.000012 } })

/** A fake Qdrant holding these collections; with `apiKey`, requests without it get Qdrant's 401/403. */
export async function fakeQdrant(collections: Record<string, CollectionFixture>, opts: { apiKey?: string; aliases?: Record<string, string> } = {}): Promise<FakeServer> {
  const guard = (answer: (path: string) => FakeAnswer) => (req: { path: string; headers: Record<string, unknown> }) => {
    if (opts.apiKey) {
      const sent = req.headers['api-key']
      if (sent === undefined) return { status: 401, body: 'Must provide an API key or an Authorization bearer token' }
      if (sent !== opts.apiKey) return { status: 403, body: 'Invalid API key or JWT' }
    }
    return answer(req.path)
  }
  const routes: FakeRoutes = {
    'GET /collections': guard(() => ({ body: { result: { collections: Object.keys(collections).map((name) => ({ name })) }, status: 'ok', time: 0.000008 } })),
    'GET /': { body: { title: 'qdrant - vector search engine', version: '1.12.1', commit: '4a3e2b5e9a3b7d7c0e9f1a2b3c4d5e6f7a8b9c0d' } },
    'GET /aliases': guard(() => ({
      body: { result: { aliases: Object.entries(opts.aliases ?? {}).map(([alias_name, collection_name]) => ({ alias_name, collection_name })) }, status: 'ok', time: 0.000005 },
    })),
  }
  // Any collection name: served when it exists, Qdrant's 404 otherwise.
  const server = await fakeHttp(routes)
  const byPath = guard((path) => {
    const name = decodeURIComponent(path.replace(/^\/collections\//, ''))
    return collections[name] ? { body: collectionBody(collections[name]) } : missing(name)
  })
  server.routes = new Proxy(routes, {
    get(target, key) {
      if (typeof key === 'string' && key.startsWith('GET /collections/')) return byPath
      return target[key as string]
    },
  })
  return server
}
