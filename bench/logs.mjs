#!/usr/bin/env node
/**
 * Log analysis benchmark: generates ~1M-line inputs (Python logging with tracebacks, and pino-style
 * JSON) with the labelled generator, then times side by side, in one run:
 *   node packages/medic/bin/medic.js logs --json FILE
 *   lnav -n -c ';SELECT count(*) FROM all_logs WHERE log_level = "error"' FILE   (if installed)
 *   grep -c ERROR FILE                                                             (the floor)
 * with /usr/bin/time -v for wall time, CPU time and peak RSS, medic and lnav 7 times each (--runs), alternating
 * (the medians are reported: the machine is noisy), with medic's wall time as a share of lnav's.
 * Then the engine alone in one process on one core (--jobs 1), and medic's grouping accuracy on a
 * labelled sample (--emit records against the generator's truth).
 *
 * Last, the start-up floor: `node -e 0`, and medic and lnav on a 100-line file (a fixed cost in
 * every figure above; where NODE_EXTRA_CA_CERTS is set, Node parses that bundle at every start, and
 * the floor is shown without it too).
 *
 * Run after `npm run build`:  node bench/logs.mjs [--lines 1000000] [--runs 3] [--big]
 * (--big adds a ~2 GB file, run once each: peak RSS, and where medic and lnav stand on a big file)
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './timing.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'packages/medic/dist/logs/testing/generate.js')
if (!existsSync(dist)) {
  console.error('bench/logs.mjs: run `npm run build` first')
  process.exit(3)
}
const { generate, generateSystem, groupingAccuracy } = await import(dist)
const args = process.argv.slice(2)
const argVal = (name, def) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : def
}
const LINES = Number(argVal('--lines', '1000000'))
const BIG = args.includes('--big')
// 7 by default: wall times here drift by ±30 % within minutes; the median of alternating runs,
// and the fastest of each, compare
const RUNS = Number(argVal('--runs', '7'))
const dir = argVal('--dir', join(tmpdir(), 'medic-bench-logs'))
mkdirSync(dir, { recursive: true })
const medic = join(root, 'packages/medic/bin/medic.js')

async function gen(format, lines) {
  const file = join(dir, `${format}-${lines}.log`)
  if (existsSync(file)) return file
  // a plain event averages ~1.16 lines (tracebacks); aim for `lines` lines
  const events = format === 'plain' ? Math.round(lines / 1.16) : lines
  const out = createWriteStream(file)
  const chunks = []
  generate({ format, events, seed: 1 }, (t) => chunks.push(t))
  for (const c of chunks) if (!out.write(c)) await new Promise((r) => out.once('drain', r))
  await new Promise((r) => out.end(r))
  return file
}

function countLines(file) {
  return Number(execFileSync('wc', ['-l', file]).toString().trim().split(/\s+/)[0])
}

/** Run a command under /usr/bin/time -v; wall s, cpu s, peak RSS MB, stdout head. */
function timed(cmd, argv, timeoutMs = 600_000, env = process.env) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeoutMs, env: { ...env, NO_COLOR: '1' } })
  const err = r.stderr ?? ''
  const num = (re) => Number((re.exec(err) ?? [])[1] ?? NaN)
  const wallText = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(err)?.[1] ?? ''
  const wall = wallText.split(':').reduce((s, x) => s * 60 + Number(x), 0)
  return {
    wall,
    cpu: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/),
    rssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
    out: (r.stdout ?? '').slice(0, 4000),
    status: r.status,
  }
}

const hasTime = existsSync('/usr/bin/time')
const hasLnav = spawnSync('sh', ['-c', 'command -v lnav']).status === 0
if (!hasTime) console.error('note: /usr/bin/time not found (apt-get install time); RSS will be missing')

const rows = []
function row(tool, file, lines, r, extra = '') {
  rows.push({ tool, file: file.split('/').pop(), lines, wall: r.wall, cpu: r.cpu, linesPerSecWall: Math.round(lines / r.wall), linesPerSecCpu: Math.round(lines / r.cpu), rssMb: Math.round(r.rssMb), extra })
}

const inputs = [await gen('plain', LINES), await gen('json', LINES)]
if (BIG) {
  const big = join(dir, 'plain-2g.log')
  if (!existsSync(big)) {
    const src = inputs[0]
    const copies = Math.ceil((2 * 1024 ** 3) / statSync(src).size)
    execFileSync('sh', ['-c', `for i in $(seq ${copies}); do cat '${src}'; done > '${big}'`])
  }
  inputs.push(big)
}

/** Medians of each measure over runs. */
function medianOf(runs) {
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), rssMb: median(runs.map((r) => r.rssMb)), out: runs[0].out }
}

const ratios = []
for (const file of inputs) {
  const lines = countLines(file)
  const isBig = file.includes('2g')
  const medicRuns = []
  const lnavRuns = []
  for (let i = 0; i < (isBig ? 1 : RUNS); i++) {
    medicRuns.push(timed('node', [medic, 'logs', '--json', '--no-progress', file]))
    if (hasLnav) lnavRuns.push(timed('lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs WHERE log_level = "error"', file]))
  }
  const m = medianOf(medicRuns)
  let doc = {}
  try {
    doc = JSON.parse(m.out.length < 4000 ? m.out : spawnSync('node', [medic, 'logs', '--json', '--no-progress', '--top', '1', file], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout)
  } catch {}
  row('medic logs --json', file, lines, m, `errors=${doc.totals?.errors ?? '?'} groups=${doc.groupCount ?? '?'}`)
  if (lnavRuns.length) {
    const l = medianOf(lnavRuns)
    row('lnav -n (count errors)', file, lines, l, `answer=${l.out.trim().split('\n').pop()}`)
    const fastest = (rs) => Math.min(...rs.map((r) => r.wall))
    ratios.push({ file: file.split('/').pop(), medicWall: m.wall, lnavWall: l.wall, medicOverLnav: Number((m.wall / l.wall).toFixed(2)), fastestOverFastest: Number((fastest(medicRuns) / fastest(lnavRuns)).toFixed(2)), medicCpu: m.cpu, lnavCpu: l.cpu, walls: `medic ${medicRuns.map((r) => r.wall).join('/')} lnav ${lnavRuns.map((r) => r.wall).join('/')}` })
  }
  const g = timed('grep', ['-c', 'ERROR', file])
  row('grep -c ERROR', file, lines, g, `answer=${g.out.trim()}`)
}

// Grouping accuracy: every event's group against the generator's truth.
const acc = []
for (const format of ['plain', 'json', 'logfmt']) {
  let text = ''
  const truth = []
  generate({ format, events: 20000, seed: 99 }, (t) => (text += t), (l) => truth.push(l))
  const f = join(dir, `acc-${format}.log`)
  writeFileSync(f, text)
  const out = spawnSync('node', [medic, 'logs', '--emit', 'records', f], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout
  const groups = out.trim().split('\n').map((l) => JSON.parse(l).group)
  acc.push({ format, events: truth.length, groupingAccuracy: Number(groupingAccuracy(groups, truth).toFixed(4)) })
}

{
  // the same labelled check on system-log shapes (HDFS, Spark, Zookeeper, OpenSSH, syslog)
  let text = ''
  const truth = []
  generateSystem(20000, 99, (t) => (text += t), (l) => truth.push(l))
  const f = join(dir, 'acc-system.log')
  writeFileSync(f, text)
  const out = spawnSync('node', [medic, 'logs', '--emit', 'records', f], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout
  const groups = out.trim().split('\n').map((l) => JSON.parse(l).group)
  acc.push({ format: 'system', events: truth.length, groupingAccuracy: Number(groupingAccuracy(groups, truth).toFixed(4)) })
}

// The engine alone, in one process (no CLI start-up): cold first pass, then warm.
const engine = []
for (const file of inputs.filter((f) => !f.includes('2g'))) {
  const script = `
    const { analyze } = await import(${JSON.stringify(join(root, 'packages/medic/dist/logs/analyze.js'))})
    const out = []
    for (let i = 0; i < 3; i++) {
      const c = process.cpuUsage(); const t = performance.now()
      const a = await analyze({ sources: [{ file: ${JSON.stringify(file)} }], cwd: '/', jobs: 1 })
      const u = process.cpuUsage(c)
      out.push({ lines: a.sources[0].lines, wallMs: Math.round(performance.now() - t), userMs: Math.round(u.user / 1000) })
    }
    console.log(JSON.stringify(out))`
  const r = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' })
  const runs = JSON.parse(r.stdout.trim())
  for (const [i, x] of runs.entries()) engine.push({ file: file.split('/').pop(), run: i === 0 ? 'cold' : 'warm', linesPerSecWall: Math.round((x.lines / x.wallMs) * 1000), linesPerSecUserCpu: Math.round((x.lines / x.userMs) * 1000) })
}

console.log('\nThroughput (one process each; lines/s by wall clock and by CPU time):')
console.table(rows)
if (ratios.length) {
  console.log(`medic against lnav (medians of ${RUNS} alternating runs; medicOverLnav < 1: medic is faster; fastestOverFastest: the fastest run of each):`)
  console.table(ratios)
}
console.log('The engine alone (in-process, no CLI start-up, one core: --jobs 1):')
console.table(engine)
console.log('Grouping accuracy on the labelled corpora (share of events whose group matches the truth):')
console.table(acc)

// The start-up floor: what every run above pays before reading a line.
const floor = []
{
  const small = join(dir, 'plain-100.log')
  execFileSync('sh', ['-c', `head -n 100 '${inputs[0]}' > '${small}'`])
  const noCa = { ...process.env }
  delete noCa.NODE_EXTRA_CA_CERTS
  const variants = [['as set here', process.env]]
  if (process.env.NODE_EXTRA_CA_CERTS) variants.push(['NODE_EXTRA_CA_CERTS unset', noCa])
  const wallOf = (cmd, argv, env) => median(Array.from({ length: 5 }, () => timed(cmd, argv, 60_000, env).wall))
  for (const [label, env] of variants) {
    floor.push({ what: 'node -e 0', env: label, wall: wallOf('node', ['-e', '0'], env) })
    floor.push({ what: 'medic logs --json (100 lines)', env: label, wall: wallOf('node', [medic, 'logs', '--json', '--no-progress', small], env) })
  }
  if (hasLnav) floor.push({ what: 'lnav -n (100 lines)', env: 'as set here', wall: wallOf('lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs WHERE log_level = "error"', small], process.env) })
}
console.log('Start-up floor (medians of 5; seconds):')
console.table(floor)
console.log(JSON.stringify({ rows, ratios, engine, accuracy: acc, floor }))
