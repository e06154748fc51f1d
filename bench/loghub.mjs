#!/usr/bin/env node
/**
 * Grouping accuracy on labelled system logs in the Loghub layout (He et al., "Loghub", ISSRE 2023;
 * github.com/logpai/loghub). The data is not in this repository: point --dir at a folder holding,
 * per dataset NAME, the raw lines `NAME.log` and `NAME.labels` (line k = the EventId of line k, as in
 * Loghub's NAME_2k.log_structured.csv). Each file is read by `medic logs --emit records` with no
 * format given (medic detects it), and a line counts as right when the lines medic put in its group
 * are exactly the lines of its true group (the usual "grouping accuracy").
 *
 * Run after `npm run build`:  node bench/loghub.mjs --dir /path/to/loghub-sample [NAME ...]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const medic = join(root, 'packages/medic/bin/medic.js')
const args = process.argv.slice(2)
const di = args.indexOf('--dir')
if (di < 0 || !args[di + 1]) {
  console.error('usage: node bench/loghub.mjs --dir DIR [NAME ...]   (DIR holds NAME.log + NAME.labels)')
  process.exit(2)
}
const dir = args[di + 1]
const wanted = args.filter((a, i) => i !== di && i !== di + 1 && !a.startsWith('--'))
const verbose = args.includes('--verbose')
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.labels') && existsSync(join(dir, f.replace(/\.labels$/, '.log'))))
  .map((f) => f.replace(/\.labels$/, ''))
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort()

/** Share of events whose predicted group holds exactly the events of their true group. */
function groupingAccuracy(pred, truth) {
  const byPred = new Map()
  const byTruth = new Map()
  pred.forEach((p, i) => (byPred.get(p) ?? byPred.set(p, []).get(p)).push(i))
  truth.forEach((t, i) => (byTruth.get(t) ?? byTruth.set(t, []).get(t)).push(i))
  let ok = 0
  for (const idx of byPred.values()) {
    const t = truth[idx[0]]
    if (byTruth.get(t).length === idx.length && idx.every((i) => truth[i] === t)) ok += idx.length
  }
  return ok / pred.length
}

const rows = []
for (const name of names) {
  const truth = readFileSync(join(dir, `${name}.labels`), 'utf8').trim().split('\n')
  const r = spawnSync('node', [medic, 'logs', '--emit', 'records', join(dir, `${name}.log`)], { encoding: 'utf8', maxBuffer: 1 << 28 })
  const recs = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  if (recs.length !== truth.length) {
    rows.push({ dataset: name, lines: truth.length, events: recs.length, format: '', groups: '', truthGroups: new Set(truth).size, accuracy: NaN })
    continue
  }
  const pred = recs.map((x) => x.group)
  const acc = groupingAccuracy(pred, truth)
  rows.push({ dataset: name, lines: truth.length, events: recs.length, format: recs[0]?.format ?? '', groups: new Set(pred).size, truthGroups: new Set(truth).size, accuracy: Number(acc.toFixed(4)) })
  if (verbose) {
    // the true groups medic split or merged, with one line of each
    const byTruth = new Map()
    recs.forEach((x, i) => {
      const t = truth[i]
      if (!byTruth.has(t)) byTruth.set(t, new Map())
      const m = byTruth.get(t)
      if (!m.has(x.group)) m.set(x.group, x.raw ?? x.message)
    })
    const byPred = new Map()
    recs.forEach((x, i) => byPred.set(x.group, (byPred.get(x.group) ?? new Set()).add(truth[i])))
    for (const [t, m] of byTruth) {
      const merged = [...m.keys()].some((g) => byPred.get(g).size > 1)
      if (m.size > 1 || merged) {
        console.log(`${name} ${t}: ${m.size > 1 ? `split into ${m.size}` : ''}${merged ? ' merged with others' : ''}`)
        for (const [g, l] of [...m].slice(0, 4)) console.log(`   ${g} [${[...byPred.get(g)].join(',')}] ${String(l).slice(0, 160)}`)
      }
    }
  }
}
console.table(rows)
const done = rows.filter((r) => r.accuracy === r.accuracy)
if (done.length) console.log(`mean grouping accuracy over ${done.length} datasets: ${(done.reduce((s, r) => s + r.accuracy, 0) / done.length).toFixed(4)}`)
