/**
 * qdrant.connect: does Qdrant answer its REST API? GET /collections tells apart a name that does
 * not resolve, a refused port, a hung connect, a silent server, a wrong API key and something that
 * is not Qdrant at all (a gRPC port, another service).
 */
import { defineCheck } from '../../engine/check.js'
import { describeFailure } from '../external/http-probe.js'
import { describeKey, keyProblems, scrubKeyText } from '../external/key.js'
import { curl, listAnswer, listText, namesOf, serverVersion, setupOf } from './client.js'

export default defineCheck({
  meta: {
    id: 'qdrant.connect',
    title: 'Qdrant reachable',
    targets: ['qdrant'],
    description:
      'GET /collections on the Qdrant REST API (port 6333 by default). Reports qdrant.unreachable when the host does not resolve, the port refuses or hangs, the server accepts but never answers, Qdrant rejects the API key, or the answer is not Qdrant\'s.',
    defaults: {},
    findings: {
      'qdrant.unreachable': {
        title: 'Qdrant unreachable',
        fix: 'Start Qdrant (docker compose up -d qdrant), check the URL and port (REST is 6333, gRPC 6334), and that this host can reach it.',
        commands: ['curl -s http://127.0.0.1:6333/collections'],
      },
    },
  },
  async run(ctx) {
    const s = setupOf(ctx)
    const commands = [curl(s, '/collections')]
    const a = await listAnswer(ctx)
    if ('failure' in a) {
      const d = describeFailure(a.failure, 'Qdrant')
      const grpc = a.failure.port === '6334' && (a.failure.kind === 'protocol' || a.failure.kind === 'reset')
      ctx.observe('qdrant.reachable', false)
      ctx.observe('qdrant.failure', a.failure.kind)
      return ctx.finding('qdrant.unreachable', {
        severity: 'critical',
        title: d.title,
        evidence: [{ label: `GET ${s.display}/collections`, observed: d.observed, expected: 'HTTP 200 from Qdrant' }],
        fix: grpc ? 'Port 6334 is Qdrant\'s gRPC port: point url: at the REST port (6333).' : d.fix,
        commands,
      })
    }
    const r = a.result
    ctx.observe('qdrant.latencyMs', r.ms)
    if (r.status === 401 || r.status === 403) {
      ctx.observe('qdrant.reachable', false)
      ctx.observe('qdrant.failure', 'auth')
      return ctx.finding('qdrant.unreachable', {
        severity: 'critical',
        title: s.apiKey ? `Qdrant rejects the configured API key (HTTP ${r.status})` : `Qdrant requires an API key and none is configured (HTTP ${r.status})`,
        evidence: [
          { label: `GET ${s.display}/collections`, observed: `HTTP ${r.status}: ${scrubKeyText(r.body.trim().slice(0, 200), s.apiKey) || '(empty body)'}`, expected: 'HTTP 200' },
          { label: 'api key', observed: s.apiKey ? `${describeKey(s.apiKey)}, sent as the api-key header` : 'not configured' },
          ...(s.apiKey && keyProblems(s.apiKey).length
            ? [{ label: 'api key shape', observed: keyProblems(s.apiKey).join('; '), expected: 'the bare key (Qdrant takes no "Bearer " in api-key)' }]
            : []),
        ],
        fix: s.apiKey
          ? "Use the key Qdrant was started with (QDRANT__SERVICE__API_KEY, or the read-only key QDRANT__SERVICE__READ_ONLY_API_KEY) as this target's apiKey and in the app; a key with trailing whitespace or from another environment fails the same way."
          : `Qdrant runs with an API key: set this target's apiKey to "\${QDRANT_API_KEY}" in medic.yaml (and make sure the app sends the same key).`,
        commands,
      })
    }
    const names = r.status === 200 ? namesOf(a.json) : undefined
    if (!names) {
      ctx.observe('qdrant.reachable', false)
      ctx.observe('qdrant.failure', 'not-qdrant')
      return ctx.finding('qdrant.unreachable', {
        severity: 'critical',
        title: `${s.display} does not answer like Qdrant (HTTP ${r.status})`,
        evidence: [{ label: `GET ${s.display}/collections`, observed: `HTTP ${r.status}: ${scrubKeyText(r.body.trim().slice(0, 160), s.apiKey) || '(empty body)'}`, expected: 'HTTP 200 with {"result":{"collections":[...]}}' }],
        fix: 'The URL points at something else (another service, a proxy path, the gRPC port 6334): use Qdrant\'s REST URL, e.g. http://qdrant:6333.',
        commands,
      })
    }
    ctx.observe('qdrant.reachable', true)
    ctx.observe('qdrant.collections.count', names.length)
    const version = await serverVersion(ctx)
    if (version) ctx.observe('qdrant.version', version)
    ctx.ok({ label: `GET ${s.display}/collections`, observed: `HTTP 200 in ${r.ms} ms${version ? ` (Qdrant ${version})` : ''}, collections: ${listText(names)}`, expected: 'HTTP 200' })
  },
})
