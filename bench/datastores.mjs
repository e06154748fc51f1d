#!/usr/bin/env node
// Issue 3 benchmark: `medic check redis mysql --json` on the machine's healthy Redis and MariaDB,
// side by side in one run with the equivalent redis-cli and mariadb -e commands a runbook has you
// type; then a dead target (blackholed port), whose total must stay within the timeout + 0.5 s.
// Run after `npm run build`:   node bench/datastores.mjs [runs]
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median, time } from './timing.mjs'

const runs = Number(process.argv[2] ?? 7)
const medic = new URL('../packages/medic/bin/medic.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-'))
// A blackhole in a child process (the timing loop below blocks this one).
const stack = spawn(process.execPath, ['-e', "const s = require('node:net').createServer(() => {}); s.listen(0, '127.0.0.1', () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] })
const holePort = await new Promise((resolve) => stack.stdout.once('data', (d) => resolve(Number(String(d).trim()))))

writeFileSync(join(dir, 'healthy.yaml'), 'targets:\n  cache: { kind: redis, url: "redis://127.0.0.1:6379" }\n  legacy: { kind: mysql, url: "mysql://root@127.0.0.1:3306/" }\n')
writeFileSync(join(dir, 'dead.yaml'), `targets:\n  cache: { kind: redis, url: "redis://127.0.0.1:${holePort}" }\n  legacy: { kind: mysql, url: "mysql://root@127.0.0.1:${holePort}/" }\n`)

const byHand = () => {
  for (const args of [['ping'], ['info'], ['config', 'get', 'maxmemory*'], ['slowlog', 'get', '10'], ['latency', 'latest'], ['--latency-history', '-i', '1']].slice(0, 5)) {
    execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', ...args], { stdio: 'ignore' })
  }
  for (const q of [
    "SHOW GLOBAL STATUS LIKE 'Threads_connected'; SHOW VARIABLES LIKE 'max_connections'",
    'SHOW FULL PROCESSLIST',
    'SELECT * FROM information_schema.INNODB_LOCK_WAITS',
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Aborted_connects','Connections','Slow_queries','Questions')",
    "SHOW VARIABLES LIKE 'slow_query_log'",
  ]) {
    execFileSync('mariadb', ['-h', '127.0.0.1', '-u', 'root', '-e', q], { stdio: 'ignore' })
  }
}

const medicMs = []
const snapMs = []
const manualMs = []
const deadMs = []
for (let i = 0; i < runs; i++) {
  medicMs.push(time(() => spawnSync(process.execPath, [medic, 'check', 'redis', 'mysql', '--json', '-c', join(dir, 'healthy.yaml')], { stdio: 'ignore' })))
  snapMs.push(time(() => spawnSync(process.execPath, [medic, 'check', 'redis', 'mysql', '--json', '--window', '0', '-c', join(dir, 'healthy.yaml')], { stdio: 'ignore' })))
  manualMs.push(time(byHand))
  deadMs.push(time(() => spawnSync(process.execPath, [medic, 'check', 'redis', 'mysql', '--json', '--timeout', '1s', '-c', join(dir, 'dead.yaml')], { stdio: 'ignore' })))
}
const report = JSON.parse(spawnSync(process.execPath, [medic, 'check', 'redis', 'mysql', '--json', '-c', join(dir, 'healthy.yaml')], { encoding: 'utf8' }).stdout)
const slowest = report.checks.reduce((a, c) => (c.durationMs > a.durationMs ? c : a))
console.log(`runs: ${runs} (medians)`)
console.log(`medic check redis mysql --json (whole process, ${report.checks.length} checks, status ${report.status}): ${median(medicMs).toFixed(0)} ms; medic's own run ${report.durationMs} ms, slowest check ${slowest.id} ${slowest.durationMs} ms`)
console.log(`by hand (5 redis-cli + 5 mariadb -e):                       ${median(manualMs).toFixed(0)} ms`)
console.log(`same with --window 0 (snapshot, no observation window): ${median(snapMs).toFixed(0)} ms; ratio to by hand ${(median(snapMs) / median(manualMs)).toFixed(2)}`)
console.log(`ratio medic / by hand:                                      ${(median(medicMs) / median(manualMs)).toFixed(2)}`)
console.log(`dead Redis and MariaDB (blackholed), --timeout 1s:           ${median(deadMs).toFixed(0)} ms (max ${Math.max(...deadMs).toFixed(0)} ms; goal ≤ 1500 ms)`)
stack.kill()
rmSync(dir, { recursive: true, force: true })
