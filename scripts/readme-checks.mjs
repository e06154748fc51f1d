#!/usr/bin/env node
// Keeps README.md's "Checks" part equal to packages/medic/docs/checks/*.md (one section per family).
// `node scripts/readme-checks.mjs` rewrites it; `--check` exits 1 when the README is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ORDER = ['http', 'postgres', 'mysql', 'redis', 'qdrant', 'external', 'tls', 'auth', 'config', 'migrations', 'logs', 'metrics', 'system']
const root = new URL('..', import.meta.url).pathname
const docs = join(root, 'packages/medic/docs/checks')
const files = readdirSync(docs).filter((f) => f.endsWith('.md'))
files.sort((a, b) => {
  const ia = ORDER.indexOf(a.replace(/\.md$/, ''))
  const ib = ORDER.indexOf(b.replace(/\.md$/, ''))
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b)
})
// Family docs use "##" for their title; inside the README they sit under "## Checks", so shift one level.
const body = files
  .map((f) => readFileSync(join(docs, f), 'utf8').trim().replace(/^(#{2,5}) /gm, '#$1 '))
  .join('\n\n')
const START = '<!-- checks:start (generated from packages/medic/docs/checks by scripts/readme-checks.mjs) -->'
const END = '<!-- checks:end -->'
const readmePath = join(root, 'README.md')
const readme = readFileSync(readmePath, 'utf8')
const a = readme.indexOf(START)
const b = readme.indexOf(END)
if (a < 0 || b < 0) {
  console.error('README.md lacks the checks markers')
  process.exit(2)
}
const next = `${readme.slice(0, a + START.length)}\n${body}\n${readme.slice(b)}`
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md is stale: run node scripts/readme-checks.mjs')
    process.exit(1)
  }
} else {
  writeFileSync(readmePath, next)
}
