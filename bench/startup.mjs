#!/usr/bin/env node
// Start-up time of the medic CLI: wall and CPU time of whole processes for the commands people run
// most, median of N runs, the builds compared run alternately (so a busy machine hurts both alike).
// Run after `npm run build`:
//   node bench/startup.mjs [runs] [other/bin/medic.js ...]
// e.g. compare with an older commit built elsewhere:
//   git archive <commit> | tar -x -C /tmp/old && ln -s $PWD/node_modules /tmp/old/ && (cd /tmp/old/packages/medic && npx tsc -p tsconfig.build.json && npx rolldown -c rolldown.config.mjs)
//   node bench/startup.mjs 15 /tmp/old/packages/medic/bin/medic.js
import { spawnSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './timing.mjs'

const runs = Number(process.argv[2] ?? 15)
const bins = [fileURLToPath(new URL('../packages/medic/bin/medic.js', import.meta.url)), ...process.argv.slice(3)]

const dir = mkdtempSync(join(tmpdir(), 'medic-startup-'))
const empty = join(dir, 'empty')
mkdirSync(empty)
// 100 lines of a typical service log: mostly info, some warnings and a few repeated errors.
const log = join(dir, 'app.log')
const lines = []
for (let i = 0; i < 100; i++) {
  const ts = new Date(Date.UTC(2024, 4, 1, 12, 0, i)).toISOString()
  if (i % 17 === 5) lines.push(`${ts} ERROR [api] database connection refused: connect ECONNREFUSED 10.0.0.${i % 7}:5432 (request ${1000 + i})`)
  else if (i % 9 === 3) lines.push(`${ts} WARN [api] slow request GET /users/${i} took ${200 + i}ms`)
  else lines.push(`${ts} INFO [api] GET /users/${i} 200 ${i % 50}ms`)
}
writeFileSync(log, `${lines.join('\n')}\n`)
// An HS256 token signed here (no dependency): header.payload.signature.
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'user-1', iat: 1_700_000_000, exp: 4_000_000_000 })}`
const token = `${unsigned}.${createHmac('sha256', 'bench-secret').update(unsigned).digest('base64url')}`

const cases = [
  { name: '--version', args: ['--version'] },
  { name: 'list', args: ['list'] },
  { name: 'logs --json (100 lines)', args: ['logs', '--json', log] },
  { name: 'check config (empty dir)', args: ['check', 'config'], cwd: empty },
  { name: 'jwt <token>', args: ['jwt', token] },
]
// A clean environment: no secrets or DSNs of this shell change what medic does.
const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' }

function once(bin, c) {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [bin, ...c.args], { cwd: c.cwd ?? dir, env, encoding: 'utf8' })
  const ms = performance.now() - t0
  if (r.status === null || r.stdout === '') throw new Error(`${bin} ${c.name}: exit ${r.status}\n${r.stderr}`)
  return ms
}

// CPU time (user + system) of the same run, from bash's `times` (children's line): on a busy
// machine it moves much less than wall time.
function cpuOnce(bin, c) {
  const script = '"$0" "$@" >/dev/null 2>&1; times'
  const r = spawnSync('bash', ['-c', script, process.execPath, bin, ...c.args], { cwd: c.cwd ?? dir, env, encoding: 'utf8' })
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(r.stdout.trim().split('\n')[1] ?? '')
  if (!m) throw new Error(`${bin} ${c.name}: no times: ${r.stdout}${r.stderr}`)
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000
}

const baseline = []
for (let i = 0; i < runs; i++) {
  const t0 = performance.now()
  spawnSync(process.execPath, ['-e', '0'], { env })
  baseline.push(performance.now() - t0)
}
console.log(`node -e 0: ${median(baseline).toFixed(0)} ms (median of ${runs})`)
const header = ['command', ...bins.flatMap((b, i) => (i === 0 ? ['this build', 'cpu'] : [`build ${i}`, 'cpu']))]
const rows = []
for (const c of cases) {
  const wall = bins.map(() => [])
  const cpu = bins.map(() => [])
  for (let i = 0; i < runs; i++) {
    // alternate the order too, so neither build always runs second
    const order = i % 2 ? [...bins.keys()].reverse() : [...bins.keys()]
    for (const b of order) {
      wall[b].push(once(bins[b], c))
      cpu[b].push(cpuOnce(bins[b], c))
    }
  }
  rows.push([c.name, ...bins.flatMap((_, b) => [`${median(wall[b]).toFixed(0)} ms`, `${median(cpu[b]).toFixed(0)} ms`])])
}
for (const [i, b] of bins.entries()) console.log(`${i === 0 ? 'this build' : `build ${i}`}: ${b}`)
console.log(`wall time and CPU time (user + system), medians of ${runs} runs`)
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
for (const r of [header, ...rows]) console.log(r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  '))
rmSync(dir, { recursive: true, force: true })
