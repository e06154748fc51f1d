#!/usr/bin/env node
// Issue 2 benchmark: `medic check postgres http --json` against a healthy local stack, side by side
// in one run with the same questions asked by hand (psql queries and a curl); then the same with a
// blackholed target, whose total must stay within the timeout + 0.5 s.
// Run after `npm run build`:   node bench/foundation.mjs [runs]
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median, time } from './timing.mjs'

const runs = Number(process.argv[2] ?? 7)
const medic = new URL('../packages/medic/bin/medic.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-'))

// The local stack: the machine's PostgreSQL and a small healthy API with /health. The API and the
// blackhole run in a child process: the timing loop below blocks this one (execFileSync).
const stack = spawn(process.execPath, ['-e', `
  const http = require('node:http'), net = require('node:net')
  const api = http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ status: 'healthy', database: { status: 'healthy' } })) })
  const hole = net.createServer(() => {})
  api.listen(0, '127.0.0.1', () => hole.listen(0, '127.0.0.1', () => console.log(api.address().port + ' ' + hole.address().port)))
`], { stdio: ['ignore', 'pipe', 'inherit'] })
const [apiPort, holePort] = await new Promise((resolve) => stack.stdout.once('data', (d) => resolve(String(d).trim().split(' ').map(Number))))

const pg = process.env.BENCH_PG ?? 'postgres://root@127.0.0.1:5432/postgres'
writeFileSync(join(dir, 'healthy.yaml'), `targets:\n  db: { kind: postgres, url: "${pg}" }\n  api: { kind: http, url: "http://127.0.0.1:${apiPort}", health: [/health] }\n`)
writeFileSync(join(dir, 'dead.yaml'), `targets:\n  db: { kind: postgres, url: "${pg}" }\n  api: { kind: http, url: "http://127.0.0.1:${holePort}", health: [/health] }\n  deaddb: { kind: postgres, url: "postgres://x@127.0.0.1:${holePort}/x" }\n`)

// The same questions by hand: what a runbook has you type, one psql per question, then curl.
const manualQueries = [
  'SELECT 1',
  "SELECT count(*), current_setting('max_connections'), current_setting('superuser_reserved_connections') FROM pg_stat_activity",
  "SELECT pid, now() - state_change FROM pg_stat_activity WHERE state = 'idle in transaction'",
  "SELECT pid, now() - query_start, left(query, 60) FROM pg_stat_activity WHERE state = 'active' AND now() - query_start > interval '60 seconds'",
  'SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0',
  "SELECT * FROM pg_extension WHERE extname = 'pg_stat_statements'",
  'SELECT relname, seq_scan, idx_scan, n_live_tup FROM pg_stat_user_tables WHERE n_live_tup > 10000',
  'SELECT sum(heap_blks_hit) / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0) FROM pg_statio_user_tables',
  'SELECT max(age(datfrozenxid)) FROM pg_database',
  'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
  'SELECT client_addr, replay_lag FROM pg_stat_replication',
]


const medicMs = []
const snapMs = []
const manualMs = []
const deadMs = []
for (let i = 0; i < runs; i++) {
  // Alternate the two so machine noise hits both alike.
  medicMs.push(time(() => spawnSync(process.execPath, [medic, 'check', 'postgres', 'http', '--json', '-c', join(dir, 'healthy.yaml')], { stdio: 'ignore' })))
  snapMs.push(time(() => spawnSync(process.execPath, [medic, 'check', 'postgres', 'http', '--json', '--window', '0', '-c', join(dir, 'healthy.yaml')], { stdio: 'ignore' })))
  manualMs.push(
    time(() => {
      for (const q of manualQueries) execFileSync('psql', [pg, '-XAtqc', q], { stdio: 'ignore' })
      execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', `http://127.0.0.1:${apiPort}/health`], { stdio: 'ignore' })
    }),
  )
  deadMs.push(time(() => spawnSync(process.execPath, [medic, 'check', 'postgres', 'http', '--json', '--timeout', '1s', '-c', join(dir, 'dead.yaml')], { stdio: 'ignore' })))
}
const out = spawnSync(process.execPath, [medic, 'check', 'postgres', 'http', '--json', '-c', join(dir, 'healthy.yaml')], { encoding: 'utf8' })
const report = JSON.parse(out.stdout)
console.log(`runs: ${runs} (medians)`)
console.log(`medic check postgres http --json (whole process, ${report.checks.length} checks, status ${report.status}): ${median(medicMs).toFixed(0)} ms; medic's own run: ${report.durationMs} ms`)
console.log(`by hand (${manualQueries.length} psql + 1 curl):                               ${median(manualMs).toFixed(0)} ms`)
console.log(`same with --window 0 (snapshot, no observation window): ${median(snapMs).toFixed(0)} ms; ratio to by hand ${(median(snapMs) / median(manualMs)).toFixed(2)}`)
console.log(`ratio medic / by hand:                                              ${(median(medicMs) / median(manualMs)).toFixed(2)}`)
console.log(`with a blackholed API and database, --timeout 1s:                   ${median(deadMs).toFixed(0)} ms (max ${Math.max(...deadMs).toFixed(0)} ms; goal ≤ 1500 ms)`)
stack.kill()
rmSync(dir, { recursive: true, force: true })
process.exit(0)
