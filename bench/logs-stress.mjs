#!/usr/bin/env node
/**
 * Inputs that once made `medic logs` slow down per line or grow without bound, timed with peak RSS:
 *   - words: two word variables with many values ("session opened for user X by Y from host Z")
 *   - keyerrors: frameless exception lines with a word value each ("KeyError: 'abcdef'")
 *   - hosts: one known error with a different detail per line (ECONNREFUSED to random hosts)
 *   - chaos: random words everywhere (many templates)
 *   - compose: the 1M-line plain bench file behind `docker compose logs` prefixes (if present)
 * Each should stay linear (seconds, not minutes) with a bounded number of groups.
 *
 * Run after `npm run build`:  node bench/logs-stress.mjs [--lines 300000]
 */
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const medic = join(root, 'packages/medic/bin/medic.js')
const args = process.argv.slice(2)
const li = args.indexOf('--lines')
const LINES = li >= 0 ? Number(args[li + 1]) : 300_000
const dir = join(tmpdir(), 'medic-bench-stress')
mkdirSync(dir, { recursive: true })

// a small deterministic generator (the same files every run)
let seed = 42
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32)
const word = (n = 6) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('')
const iso = (i) => new Date(Date.UTC(2026, 10, 22) + i * 10).toISOString()

const makers = {
  words: (i) => `${iso(i)} ERROR auth: session opened for user ${word()} by ${word()} from host ${word()}.example.com`,
  keyerrors: () => `KeyError: '${word()}'`,
  hosts: (i) => `${iso(i)} ERROR cache: connect ECONNREFUSED 10.${i % 250}.${((i / 250) | 0) % 250}.${(i / 62500) | 0}:${6000 + (i % 1000)}`,
  chaos: (i) => `${iso(i)} ERROR ${word()}: ${word()} ${word()} happened at stage ${word()} because ${word()} ${word()}`,
}

async function write(name, make) {
  const file = join(dir, `${name}-${LINES}.log`)
  if (existsSync(file)) return file
  seed = 42
  const out = createWriteStream(file)
  for (let i = 0; i < LINES; i++) if (!out.write(make(i) + '\n')) await new Promise((r) => out.once('drain', r))
  await new Promise((r) => out.end(r))
  return file
}

function timed(file) {
  const r = spawnSync('/usr/bin/time', ['-v', 'node', medic, 'logs', '--json', '--no-progress', file], { encoding: 'utf8', maxBuffer: 1 << 28 })
  const err = r.stderr ?? ''
  const wallText = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(err)?.[1] ?? ''
  let doc = {}
  try {
    doc = JSON.parse(r.stdout)
  } catch {}
  return {
    wallS: wallText.split(':').reduce((s, x) => s * 60 + Number(x), 0),
    rssMb: Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN) / 1024),
    groups: doc.groupCount,
    knownEntries: doc.knownErrors?.length,
    events: doc.totals?.events,
  }
}

const rows = []
for (const [name, make] of Object.entries(makers)) rows.push({ input: name, lines: LINES, ...timed(await write(name, make)) })
const plain = join(tmpdir(), 'medic-bench-logs', 'plain-1000000.log')
if (existsSync(plain)) {
  const compose = join(dir, 'compose-1000000.log')
  if (!existsSync(compose)) spawnSync('sh', ['-c', `sed 's/^/api-1  | /' '${plain}' > '${compose}'`])
  rows.push({ input: 'compose (plain bench file, prefixed)', lines: 998620, ...timed(compose) })
} else console.error('note: run bench/logs.mjs once to create the 1M-line plain file for the compose row')
console.table(rows)
