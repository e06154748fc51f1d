#!/usr/bin/env node
// Throughput of `medic jwt --json` on many tokens from stdin (one per line): generates N HS256
// tokens (a mix: valid, expired, wrong key, no exp, malformed), runs the built CLI once with
// --secret and reports tokens per second, wall time included (startup, reading, output).
// Usage: npm run build && node bench/jwt-throughput.mjs [count=10000]
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'packages/medic/package.json'))
const { SignJWT } = require('jose')

const count = Number(process.argv[2] ?? 10_000)
const secret = 'bench-secret-' + 'x'.repeat(40)
const other = 'bench-other-secret-' + 'y'.repeat(40)
const key = new TextEncoder().encode(secret)
const otherKey = new TextEncoder().encode(other)
const now = Math.floor(Date.now() / 1000)

const lines = []
for (let i = 0; i < count; i++) {
  const kind = i % 10
  if (kind === 9) {
    lines.push(`not-a-token-${i}`)
    continue
  }
  const claims = { sub: `user-${i}`, scope: 'user:read user:write', iat: now - 60 }
  const exp = kind === 7 ? now - 3600 : now + 3600
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  if (kind !== 8) jwt = jwt.setExpirationTime(exp)
  lines.push(await jwt.sign(kind === 6 ? otherKey : key))
}
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-'))
const file = join(dir, 'tokens.txt')
writeFileSync(file, lines.join('\n') + '\n')

const bin = join(root, 'packages/medic/bin/medic.js')
const fd = openSync(file, 'r')
const t0 = performance.now()
const child = spawn(process.execPath, [bin, 'jwt', '--json', '--secret', secret], { stdio: [fd, 'pipe', 'inherit'] })
let out = ''
child.stdout.setEncoding('utf8')
child.stdout.on('data', (d) => (out += d))
const code = await new Promise((r) => child.on('close', r))
const ms = performance.now() - t0
closeSync(fd)
rmSync(dir, { recursive: true, force: true })

const doc = JSON.parse(out)
if (doc.summary.tokens !== count) throw new Error(`expected ${count} results, got ${doc.summary.tokens}`)
if (out.includes(secret)) throw new Error('the secret appeared in the output')
console.log(`medic jwt --json: ${count} tokens in ${(ms / 1000).toFixed(2)} s = ${Math.round(count / (ms / 1000))} tokens/s (exit ${code}; ${doc.summary.ok} ok, ${doc.summary.warning} warning, ${doc.summary.critical} critical; output ${(out.length / 1e6).toFixed(1)} MB; load average ${loadavg()[0].toFixed(1)})`)
