#!/usr/bin/env node
// Issue 6 benchmark: `medic diagnose 503 --json` on the full local stack — an HTTP API with
// /health, the machine's PostgreSQL, MariaDB and Redis, a 100k-line log and a /metrics endpoint —
// total time against the slowest single check (goal: ≤ slowest + 20 % and under 1.5 s).
// Run after `npm run build`:   node bench/diagnose.mjs [runs]
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from './timing.mjs'

const runs = Number(process.argv[2] ?? 5)
const medic = new URL('../packages/medic/bin/medic.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-'))

// The API (health + metrics) runs in its own process, as a real app would.
const app = spawn(process.execPath, ['-e', `
  const http = require('node:http')
  let n = 0
  const srv = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      n++
      res.setHeader('content-type', 'text/plain; version=0.0.4')
      res.end([
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{le="0.1"} ' + (900 + n),
        'http_request_duration_seconds_bucket{le="0.5"} ' + (990 + n),
        'http_request_duration_seconds_bucket{le="+Inf"} ' + (1000 + n),
        'http_request_duration_seconds_sum 42', 'http_request_duration_seconds_count ' + (1000 + n),
        '# TYPE http_requests_total counter',
        'http_requests_total{status="200"} ' + (990 + n), 'http_requests_total{status="500"} 10',
        '# TYPE db_pool_in_use gauge', 'db_pool_in_use 3', '# TYPE db_pool_size gauge', 'db_pool_size 10', '',
      ].join('\\n'))
      return
    }
    res.setHeader('content-type', 'application/health+json')
    res.end(JSON.stringify({ status: 'pass', checks: { 'db:connections': [{ status: 'pass' }] } }))
  })
  srv.listen(0, '127.0.0.1', () => console.log(srv.address().port))
`], { stdio: ['ignore', 'pipe', 'inherit'] })
const port = await new Promise((resolve) => app.stdout.once('data', (d) => resolve(Number(String(d).trim()))))

// A 100k-line application log: mostly info, some errors, a traceback now and then.
const lines = []
const t0 = Date.now() - 10 * 60_000
for (let i = 0; i < 100_000; i++) {
  const ts = new Date(t0 + i * 6).toISOString().replace('T', ' ').slice(0, 23)
  if (i % 500 === 0) {
    lines.push(`${ts} ERROR app.api: unhandled error in request req-${i}`, 'Traceback (most recent call last):', '  File "/app/api/users.py", line 42, in get_user', '    row = rows[0]', 'IndexError: list index out of range')
  } else if (i % 97 === 0) {
    lines.push(`${ts} WARNING app.db: slow query took ${100 + (i % 400)} ms`)
  } else {
    lines.push(`${ts} INFO app.api: GET /api/items/${i % 1000} 200 in ${i % 50} ms`)
  }
}
writeFileSync(join(dir, 'app.log'), `${lines.join('\n')}\n`)
writeFileSync(
  join(dir, 'medic.yaml'),
  `targets:
  api: { kind: http, url: "http://127.0.0.1:${port}", health: [/health] }
  db: { kind: postgres, url: "postgres://root@127.0.0.1:5432/postgres" }
  legacy: { kind: mysql, url: "mysql://root@127.0.0.1:3306/" }
  cache: { kind: redis, url: "redis://127.0.0.1:6379" }
logs:
  - { file: ${join(dir, 'app.log')} }
metrics:
  - { url: "http://127.0.0.1:${port}/metrics" }
`,
)

const wall = []
const own = []
const slowest = []
let last
for (let i = 0; i < runs; i++) {
  const t = performance.now()
  const r = spawnSync(process.execPath, [medic, 'diagnose', '503', '--json', '-c', join(dir, 'medic.yaml')], { encoding: 'utf8' })
  wall.push(performance.now() - t)
  last = JSON.parse(r.stdout)
  own.push(last.durationMs)
  slowest.push(Math.max(...last.checks.map((c) => c.durationMs)))
}
const top = last.checks.reduce((a, c) => (c.durationMs > a.durationMs ? c : a))
console.log(`runs: ${runs} (medians); ${last.checks.length} checks on ${last.targets.length} targets, status ${last.status}, top cause: ${last.diagnosis?.causes[0]?.id} (${last.diagnosis?.causes[0]?.score})`)
console.log(`slowest single check: ${median(slowest)} ms (last run: ${top.id}@${top.target})`)
console.log(`medic's run (checks + diagnosis): ${median(own)} ms = ${(median(own) / median(slowest)).toFixed(2)} × the slowest check (goal ≤ 1.20)`)
console.log(`whole process (start-up included): ${median(wall).toFixed(0)} ms (goal < 1500 ms)`)

app.kill()
rmSync(dir, { recursive: true, force: true })
