import { describe, expect, it } from 'vitest'
import { Redactor } from '../engine/redact.js'
import type { CheckResult, Target } from '../engine/types.js'
import { buildReport } from './build.js'
import { exitCodeFor } from './exit-code.js'
import { FORMATS, render } from './index.js'

const PASSWORD = 'Sup3rSecretPw'
const TOKEN = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345'

const targets: Target[] = [
  { id: 'db', kind: 'postgres', address: 'postgres://app:***@127.0.0.1:5432/app', options: {}, thresholds: {}, source: 'env DATABASE_URL' },
  { id: 'cache', kind: 'redis', address: 'redis://127.0.0.1:6379', options: {}, thresholds: {}, source: 'port 6379' },
]

function results(): CheckResult[] {
  return [
    {
      id: 'postgres.connections',
      target: 'db',
      status: 'problem',
      durationMs: 12,
      findings: [
        {
          id: 'postgres.connections-saturated',
          severity: 'critical',
          target: 'db',
          title: 'Connection slots exhausted',
          evidence: [{ label: 'usable slots', observed: '97 of 97 used (max_connections 100, 3 reserved)', expected: '< 80 % used' }],
          fix: 'Find who holds the connections; lower pool sizes.',
          // A careless check might echo the DSN: the report must still mask it.
          commands: [`psql "postgres://app:${PASSWORD}@127.0.0.1:5432/app" -c "SELECT count(*) FROM pg_stat_activity"`],
        },
      ],
      evidence: [],
      observations: { 'postgres.slots.usedPct': 100 },
    },
    {
      id: 'postgres.idle-in-transaction',
      target: 'db',
      status: 'problem',
      durationMs: 9,
      findings: [
        {
          id: 'postgres.idle-in-transaction',
          severity: 'warning',
          target: 'db',
          title: 'A session is idle in transaction',
          evidence: [{ label: 'pid 4242', observed: `idle 75 s, last query: UPDATE users SET api_key = '${TOKEN}'` }],
          fix: 'End the transaction.',
          commands: [],
        },
      ],
      evidence: [],
      observations: {},
    },
    { id: 'redis.latency', target: 'cache', status: 'ok', durationMs: 3, findings: [], evidence: [{ label: 'median PING', observed: '0.2 ms', expected: '< 10 ms' }], observations: {} },
    { id: 'tls.expiry', target: 'cache', status: 'skipped', durationMs: 0, reason: 'redis:// does not use TLS', findings: [], evidence: [], observations: {} },
    { id: 'redis.slowlog', target: 'cache', status: 'error', durationMs: 5000, reason: 'timed out after 5000 ms', findings: [], evidence: [], observations: {} },
  ]
}

function report() {
  const redactor = new Redactor()
  redactor.add(PASSWORD)
  return buildReport({ results: results(), targets, startedAt: new Date('2026-11-22T02:00:00Z'), durationMs: 431, notes: ['discovered: db (env DATABASE_URL)'], redactor })
}

describe('reports', () => {
  it('orders findings worst first and sets the overall status', () => {
    const r = report()
    expect(r.status).toBe('critical')
    expect(r.findings.map((f) => f.id)).toEqual(['postgres.connections-saturated', 'postgres.idle-in-transaction'])
    expect(r.schemaVersion).toBe(1)
  })

  it.each(FORMATS)('never shows a planted secret in %s output', (format) => {
    const out = render(report(), format, { color: false })
    expect(out).not.toContain(PASSWORD)
    expect(out).not.toContain(TOKEN)
  })

  it('text: verdict first, grouped by target with marks, evidence, fix and the command to run', () => {
    const out = render(report(), 'text', { color: false })
    const lines = out.split('\n')
    expect(lines[0]).toBe('CRITICAL  1 critical, 1 warning, 0 info · 2 targets · 5 checks · 0.43 s')
    expect(out).toContain('✗ db postgres postgres://app:***@127.0.0.1:5432/app (env DATABASE_URL)')
    expect(out).toContain('  ✗ Connection slots exhausted  postgres.connections-saturated')
    expect(out).toContain('      usable slots: 97 of 97 used (max_connections 100, 3 reserved) (expected < 80 % used)')
    expect(out).toContain('      fix: Find who holds the connections; lower pool sizes.')
    expect(out).toContain('  ! A session is idle in transaction  postgres.idle-in-transaction')
    expect(out).toContain('  ✓ redis.latency  median PING: 0.2 ms (expected < 10 ms)')
    expect(out).toContain('  ? redis.slowlog could not run: timed out after 5000 ms')
    expect(out).toContain('  – 1 check skipped (-v shows why)')
    expect(out).not.toContain('redis:// does not use TLS')
    expect(render(report(), 'text', { color: false, verbose: true })).toContain('  – tls.expiry skipped: redis:// does not use TLS')
    expect(out).toMatch(/next: psql "postgres:\/\/app:\*\*\*@127\.0\.0\.1:5432\/app"/)
    expect(out).not.toMatch(/\x1b\[/) // no colour codes when colour is off
  })

  it('text: colour only when asked', () => {
    expect(render(report(), 'text', { color: true })).toMatch(/\x1b\[31m/)
  })

  it('json: one document with the DESIGN.md shape', () => {
    const doc = JSON.parse(render(report(), 'json', { color: false }))
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['schemaVersion', 'status', 'startedAt', 'durationMs', 'targets', 'checks', 'findings']))
    expect(doc.checks[4]).toMatchObject({ id: 'redis.slowlog', target: 'cache', status: 'error', reason: 'timed out after 5000 ms' })
    expect(doc.findings[0]).toMatchObject({ id: 'postgres.connections-saturated', severity: 'critical', target: 'db' })
  })

  it('markdown: a table and details to paste into a ticket', () => {
    const md = render(report(), 'markdown', { color: false })
    expect(md).toContain('## medic: CRITICAL')
    expect(md).toContain('| 🔴 critical | `postgres.connections-saturated` | db | Connection slots exhausted |')
    expect(md).toContain('- usable slots: **97 of 97 used (max_connections 100, 3 reserved)** (expected < 80 % used)')
  })

  it('nagios: one line with status, summary and perfdata', () => {
    const line = render(report(), 'nagios', { color: false })
    expect(line.split('\n').filter(Boolean)).toHaveLength(1)
    expect(line).toMatch(/^MEDIC CRITICAL - 1 critical, 1 warning: \[db\] postgres\.connections-saturated: Connection slots exhausted; /)
    expect(line).toContain('| critical=1;;1 warning=1;1 checks=5 errors=1 duration=0.431s db.postgres.connections=12ms')
  })

  it('shows control characters from the outside world as visible escapes, never raw', () => {
    const r = report()
    const evil = buildReport({
      results: [{ ...results()[2], status: 'problem', findings: [{ ...results()[0].findings[0], title: 'db\u001b[2J down', evidence: [{ label: 'body', observed: '\u001b]0;pwned\u0007 ok\nnext' }] }] }],
      targets,
      startedAt: new Date(),
      durationMs: 1,
      redactor: new Redactor(),
    })
    for (const format of FORMATS) {
      const out = render(evil, format, { color: false })
      expect(out).not.toMatch(/\u001b|\u0007/)
      expect(format === 'json' ? JSON.parse(out).findings[0].title : out).toContain('db\\x1b[2J down')
    }
    expect(evil.findings[0].evidence[0].observed).toBe('\\x1b]0;pwned\\x07 ok\nnext')
    void r
  })

  it('is UNKNOWN, not OK, when every check was skipped or none ran', () => {
    const skipped = { ...results()[3] }
    expect(buildReport({ results: [skipped], targets, startedAt: new Date(), durationMs: 1, redactor: new Redactor() }).status).toBe('unknown')
    expect(buildReport({ results: [], targets, startedAt: new Date(), durationMs: 1, redactor: new Redactor() }).status).toBe('unknown')
  })

  it('exit codes follow Nagios, with --fail-on and --exit-zero', () => {
    const r = report()
    expect(exitCodeFor(r)).toBe(2)
    expect(exitCodeFor({ ...r, status: 'warning' })).toBe(1)
    expect(exitCodeFor({ ...r, status: 'warning' }, { failOn: 'critical' })).toBe(0)
    expect(exitCodeFor({ ...r, status: 'unknown' })).toBe(3)
    expect(exitCodeFor({ ...r, status: 'ok' })).toBe(0)
    expect(exitCodeFor(r, { exitZero: true })).toBe(0)
  })
})
