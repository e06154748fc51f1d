/**
 * `medic jwt` output: for people, a verdict line first ("401 because: ..."), then header, claims,
 * signature and findings; for scripts, one JSON document. Neither ever contains the token, the
 * signature, a secret or a key: only decoded header and claims and descriptions of keys.
 */
import type { Finding } from '../engine/types.js'
import type { FindingDraft, JwtAnalysis } from './analyze.js'
import type { ApiKeyAnalysis, ApiKeyDraft } from './apikey.js'
import { safe } from './token.js'

export type TokenResult =
  | { kind: 'jwt'; index: number; source: string; analysis: JwtAnalysis }
  | { kind: 'apikey'; index: number; source: string; analysis: ApiKeyAnalysis }

export interface Paint {
  red(s: string): string
  yellow(s: string): string
  green(s: string): string
  bold(s: string): string
  dim(s: string): string
}

export const plain: Paint = { red: (s) => s, yellow: (s) => s, green: (s) => s, bold: (s) => s, dim: (s) => s }

function toFinding(f: FindingDraft | ApiKeyDraft, target: string): Finding {
  return { id: f.id, severity: f.severity, target, title: f.title, evidence: f.evidence, fix: f.fix, commands: f.commands }
}

/** The JSON form of one result (the `tokens[]` entries of `medic jwt --json`). */
export function resultJson(r: TokenResult): Record<string, unknown> {
  const target = `token ${r.index}`
  if (r.kind === 'apikey') {
    const a = r.analysis
    return { index: r.index, source: r.source, kind: 'apikey', status: a.status, verdict: a.verdict, shape: a.shape, findings: a.findings.map((f) => toFinding(f, target)) }
  }
  const a = r.analysis
  return {
    index: r.index,
    source: r.source,
    kind: 'jwt',
    status: a.status,
    verdict: a.verdict,
    carrier: a.carrier,
    header: a.header ?? null,
    claims: a.claims ?? null,
    times: a.times,
    signature: a.signature,
    grants: a.grants,
    permissions: a.permissions.map((p) => ({ need: p.need, ...(p.route ? { route: p.route } : {}), satisfied: p.satisfied, ...(p.by ? { by: p.by } : {}) })),
    findings: a.findings.map((f) => toFinding(f, target)),
    notes: a.notes,
  }
}

function short(v: unknown, max = 160): string {
  let s: string
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))
  } catch {
    s = String(v)
  }
  // Claims come from an untrusted token: no terminal control characters reach the screen.
  s = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

const MARK = { critical: '✗', warning: '!', info: 'i' } as const

function findingLines(findings: (FindingDraft | ApiKeyDraft)[], p: Paint): string[] {
  const out: string[] = []
  for (const f of findings) {
    const colour = f.severity === 'critical' ? p.red : f.severity === 'warning' ? p.yellow : p.dim
    out.push(`  ${colour(`${MARK[f.severity]} ${f.id}`)}  ${f.title}`)
    for (const e of f.evidence) out.push(`      ${e.label}: ${e.observed}${e.expected ? p.dim(`  (expected ${e.expected})`) : ''}`)
    out.push(`      fix: ${f.fix}`)
    for (const c of f.commands) out.push(p.dim(`      $ ${c}`))
  }
  return out
}

function verdictLine(status: string, verdict: string, p: Paint): string {
  const colour = status === 'critical' ? p.red : status === 'warning' || status === 'unknown' ? p.yellow : p.green
  return p.bold(colour(verdict))
}

/** Text for one result; `label` prefixes the verdict when several tokens are shown. */
export function renderText(r: TokenResult, p: Paint, label?: string): string {
  const lines: string[] = []
  const prefix = label ? `${label}: ` : ''
  if (r.kind === 'apikey') {
    const a = r.analysis
    lines.push(prefix + verdictLine(a.status, a.verdict, p))
    lines.push(`  key        ${a.shape}, from ${a.source}`)
    lines.push(...findingLines(a.findings, p))
    return `${lines.join('\n')}\n`
  }
  const a = r.analysis
  lines.push(prefix + verdictLine(a.status, a.verdict, p))
  if (a.header) {
    lines.push(`  ${p.bold('header')}`)
    for (const [k, v] of Object.entries(a.header)) lines.push(`    ${safe(k, 40).padEnd(10)} ${short(v)}`)
  }
  if (a.claims) {
    lines.push(`  ${p.bold('claims')}`)
    const times = new Map(a.times.map((t) => [t.claim, t]))
    for (const [k, v] of Object.entries(a.claims)) {
      const t = times.get(k)
      const when = t ? p.dim(`  ${t.iso} (${k === 'exp' && t.relative.endsWith('ago') ? `expired ${t.relative}` : t.relative})`) : ''
      lines.push(`    ${safe(k, 40).padEnd(10)} ${short(v)}${when}`)
    }
  }
  lines.push(`  ${p.bold('signature')}  ${a.signature.detail}`)
  if (a.permissions.length > 0) {
    const ok = a.permissions.filter((x) => x.satisfied).map((x) => `${x.route ? `${x.route}: ` : ''}${x.need} (by ${x.by?.value} in ${x.by?.claim})`)
    if (ok.length) lines.push(`  ${p.bold('granted')}    ${ok.join(', ')}`)
  }
  lines.push(...findingLines(a.findings, p))
  for (const n of a.notes) lines.push(p.dim(`  note: ${n}`))
  return `${lines.join('\n')}\n`
}
