#!/usr/bin/env node
// Issue 4 benchmark, start-up check latency: the config.* checks on a typical .env of 30 variables
// (plus a compose file), run in-process through the real runner, N times; prints the median and p95.
// Hosts are localhost / IPs so the figure measures medic, not a remote DNS server.
// Run after `npm run build`:   node bench/config-startup.mjs [runs]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dist = new URL('../packages/medic/dist/', import.meta.url)
const { configChecks } = await import(new URL('checks/config/index.js', dist).href)
const { configSchema } = await import(new URL('config/schema.js', dist).href)
const { runChecks } = await import(new URL('engine/runner.js', dist).href)

const ENV = `# logbook backend
ENVIRONMENT=production
PORT=18734
HOST=0.0.0.0
LOG_LEVEL=info
DATABASE_URL=postgresql+asyncpg://app:Zr4kq9TxW2@localhost:5432/logbook
DB_HOST=localhost
DB_PORT=5432
DB_NAME=logbook
DB_USER=app
DB_PASSWORD=Zr4kq9TxW2
REDIS_URL=redis://:s3cr3tRedis@localhost:6379/0
REDIS_HOST=localhost
QDRANT_URL=http://127.0.0.1:6333
OPENAI_API_KEY=sk-proj-0123456789abcdefghijklmnopqrstuv
OPENAI_MODEL=gpt-4o-mini
SECRET_KEY=9f2c4e8a1b7d3f60c5e2a9b4d8f1c3e7a6b0d2f4e8c1a3b5d7f9e0c2a4b6d8f1
JWT_SECRET_KEY=changeme
JWT_ALGORITHM=HS256
ACCESS_TOKEN_EXPIRE_MINUTES=30
ENCRYPTION_KEY=3b5d7f9e0c2a4b6d8f19f2c4e8a1b7d3f60c5e2a9b4d8f1c3e7a6b0d2f4e8c1a
ENCRYPTION_SALT=a6b0d2f4e8c1a3b5d7f9e0c2a4b6d8f1
CORS_ORIGINS=http://localhost:3000
FRONTEND_URL=http://localhost:3000
SMTP_HOST=localhost
SMTP_PORT=1025
SENTRY_DSN=
S3_ENDPOINT_URL=http://127.0.0.1:9000
RATE_LIMIT_PER_MINUTE=60
WORKERS=4
`
const COMPOSE = `services:
  backend: { build: ., env_file: .env, ports: ["18734:18734"] }
  postgres: { image: postgres:16, environment: { POSTGRES_PASSWORD: "\${DB_PASSWORD:?}" } }
  redis: { image: redis:7 }
  qdrant: { image: qdrant/qdrant }
`

async function main() {
  const runs = Number(process.argv[2] ?? 25)
  const dir = mkdtempSync(join(tmpdir(), 'medic-bench-'))
  writeFileSync(join(dir, '.env'), ENV)
  writeFileSync(join(dir, 'docker-compose.yml'), COMPOSE)
  const config = configSchema.parse({ environment: 'production', env: { file: join(dir, '.env'), required: ['DATABASE_URL', 'REDIS_URL', 'OPENAI_API_KEY'], secrets: ['SECRET_KEY', 'JWT_SECRET_KEY', 'ENCRYPTION_KEY', 'ENCRYPTION_SALT'] } })
  const target = { id: 'env', kind: 'env', address: '.env', options: { ...config.env, processEnv: {} }, thresholds: {}, source: 'bench' }
  const plan = configChecks.map((check) => ({ check, target }))
  const times = []
  let findings = 0
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now()
    const results = await runChecks(plan, { config, timeoutMs: 5000, concurrency: 16 })
    const ms = performance.now() - t0
    if (i >= 3) times.push(ms) // the first runs warm up the JIT and the resolver cache
    findings = results.reduce((n, r) => n + r.findings.length, 0)
  }
  rmSync(dir, { recursive: true, force: true })
  times.sort((a, b) => a - b)
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))]
  console.log(JSON.stringify({ checks: plan.length, variables: ENV.split('\n').filter((l) => /^[A-Z]/.test(l)).length, runs, medianMs: +q(0.5).toFixed(2), p95Ms: +q(0.95).toFixed(2), minMs: +times[0].toFixed(2), maxMs: +times[times.length - 1].toFixed(2), findingsPerRun: findings }))
}
main()
