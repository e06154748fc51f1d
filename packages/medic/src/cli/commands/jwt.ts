/**
 * `medic jwt [token]`: why does the API answer 401/403 to this token? Decodes without trusting,
 * then verifies against `auth.jwt` (config) or flags. Tokens come from the argument or stdin (one
 * per line, bare, `Bearer x` or `Authorization: Bearer x`); `--api-key` checks API keys instead.
 * Never prints a token, a signature, a secret or a key.
 */
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import pc from 'picocolors'
import { JwtAnalyzer, type JwtDeps, type JwtSettings } from '../../auth/analyze.js'
import { analyzeApiKey, compilePattern, keyFromHeaderLine } from '../../auth/apikey.js'
import { fetchJwksDocument } from '../../auth/keys.js'
import { plain, renderText, resultJson, type Paint, type TokenResult } from '../../auth/render.js'
import { pgSubjectLookup, type SubjectLookup } from '../../auth/subject.js'
import { apiKeyFrom, checkAlgorithms, jwtSettingsFrom, readPublicKey } from '../../checks/auth/settings.js'
import { readDotEnv } from '../../config/dotenv.js'
import { buildRedactor } from '../../config/resolve.js'
import type { MedicConfig } from '../../config/schema.js'
import { UserError } from '../../engine/errors.js'
import { maskUrl, Redactor } from '../../engine/redact.js'
import { parseDuration } from '../../util/duration.js'
import { EXIT, type CliIO } from '../io.js'
import type { RunContext } from '../program.js'

interface JwtOptions {
  config?: string
  secret?: string
  publicKey?: string
  jwks?: string
  alg: string[]
  iss?: string
  aud: string[]
  clockTolerance?: string
  need: string[]
  route: string[]
  apiKey?: boolean
  pattern?: string
  json?: boolean
  timeout?: string
  color?: boolean
}

/** Lines worth analysing, with where they came from. Blank lines are skipped. */
interface Input {
  text: string
  source: string
}

async function readStdin(io: CliIO): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

function stdinIsTTY(io: CliIO): boolean {
  return Boolean((io.stdin as { isTTY?: boolean }).isTTY)
}

/** Header lines that carry credentials; any other `Name: value` line of a pasted request is skipped. */
const CREDENTIAL_HEADER = /^(authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token)$/i
const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP\/[\d.]+$/
/** A line that is itself a credential: a JWT (`eyJ…` header, two dots), `Bearer x`, or a bare known-prefix API key. */
const JWT_SHAPE = /^(bearer\s+)?eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/i
const isBareCredential = (line: string) => JWT_SHAPE.test(line.trim()) || /^bearer\s+\S+$/i.test(line.trim()) || looksLikeApiKey(line.trim())

async function gatherInputs(arg: string | undefined, io: CliIO): Promise<{ inputs: Input[]; skipped: number }> {
  if (arg !== undefined && arg !== '-') return { inputs: [{ text: arg, source: 'argument' }], skipped: 0 }
  if (arg === undefined && stdinIsTTY(io)) return { inputs: [], skipped: 0 }
  const text = await readStdin(io)
  const inputs: Input[] = []
  let skipped = 0
  const lines = text.split('\n')
  // `curl -v` shows the request as "> Header: value" lines among "*", "<" and body lines: keep only
  // those, and any line that is itself a token (a bare token after a pasted request is still a token).
  const curl = lines.some((l) => /^> \S/.test(l))
  for (let i = 0; i < lines.length; i++) {
    if (curl && !lines[i].startsWith('>') && !isBareCredential(lines[i].replace(/\r$/, ''))) {
      if (lines[i].trim() !== '') skipped++
      continue
    }
    const line = lines[i].replace(/\r$/, '').replace(/^> ?/, '')
    if (line.trim() === '') continue
    const header = /^([A-Za-z][A-Za-z0-9-]*):(\s|$)/.exec(line)
    if ((header && !CREDENTIAL_HEADER.test(header[1])) || REQUEST_LINE.test(line.trim())) {
      skipped++
      continue
    }
    inputs.push({ text: line, source: `stdin line ${i + 1}` })
  }
  return { inputs, skipped }
}

/** A line that carries an API key rather than a JWT: an API-key header, or a bare known-prefix key. */
function looksLikeApiKey(line: string): boolean {
  const h = keyFromHeaderLine(line)
  if (h.header && !/^authorization$/i.test(h.header)) return true
  const v = h.value.trim().replace(/^bearer\s+/i, '')
  return !v.includes('.') && /^(sk|pk|rk)[-_]/.test(v)
}

interface LoadedAuth {
  config?: MedicConfig
  vars: Record<string, string | undefined>
  baseDir: string
  notes: string[]
}

async function loadAuthConfig(opts: JwtOptions, io: CliIO): Promise<LoadedAuth> {
  const explicit = opts.config ?? (existsSync(resolve(io.cwd, 'medic.yaml')) ? 'medic.yaml' : undefined)
  if (explicit) {
    // imported here: the YAML parser and the config schemas are most of what `medic jwt` would load
    const { loadConfigFile } = await import('../../config/load.js')
    const loaded = loadConfigFile(resolve(io.cwd, explicit), io.env)
    return { config: loaded.config, vars: loaded.vars, baseDir: dirname(loaded.file), notes: [] }
  }
  // No config: the app's own JWT secret from its environment or .env, as discovery would find it.
  const vars = { ...readDotEnv(resolve(io.cwd, '.env')).values, ...io.env }
  return { vars, baseDir: io.cwd, notes: [] }
}

function buildSettings(opts: JwtOptions, loaded: LoadedAuth, io: CliIO): { settings: JwtSettings; notes: string[] } {
  const notes: string[] = []
  const auth = loaded.config?.auth
  const allRoutes = auth?.routes ?? {}
  const routes: Record<string, string[]> = {}
  for (const r of opts.route) {
    const found = Object.keys(allRoutes).find((k) => k === r || k.toLowerCase() === r.toLowerCase())
    if (!found) throw new UserError(`--route "${r}" is not in auth.routes`, Object.keys(allRoutes).length ? `Configured routes: ${Object.keys(allRoutes).join(', ')}.` : 'Add it under auth.routes in medic.yaml, or use --need <permission>.')
    routes[found] = allRoutes[found]
  }
  const s = jwtSettingsFrom(auth?.jwt, routes, loaded.baseDir)
  if (!loaded.config && opts.secret === undefined && opts.publicKey === undefined && opts.jwks === undefined) {
    const name = ['JWT_SECRET_KEY', 'JWT_SECRET'].find((n) => loaded.vars[n]?.trim())
    const empty = ['JWT_SECRET_KEY', 'JWT_SECRET'].filter((n) => loaded.vars[n] !== undefined && !loaded.vars[n]?.trim())
    // Set but empty is what the app would verify with too: worth saying, not worth verifying with.
    for (const n of empty) notes.push(`${n} is set but empty in the environment or .env: not used`)
    if (name) {
      s.secret = loaded.vars[name]
      s.secretName = name
      notes.push(`verifying with ${name} from the environment`)
    }
  }
  if (opts.secret !== undefined) {
    // `--secret "$JWT_SECRET_KEY"` with the variable unset: say so instead of "signature does not verify".
    if (opts.secret.trim() === '')
      throw new UserError(
        `--secret is empty${opts.secret.length ? ' (only whitespace)' : ''}: the variable you passed is probably unset`,
        'Check the variable (`printenv JWT_SECRET_KEY | wc -c`), export it, or leave --secret out to use JWT_SECRET_KEY / JWT_SECRET from the environment or .env.',
      )
    s.secret = opts.secret
    s.secretName = '--secret'
  }
  if (opts.publicKey !== undefined) {
    s.publicKey = readPublicKey(opts.publicKey, io.cwd, '--public-key')
    s.publicKeyName = `--public-key ${opts.publicKey}`
  }
  if (opts.jwks !== undefined) s.jwks = checkJwksUrl(opts.jwks)
  const algs = opts.alg.flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean)
  checkAlgorithms(algs, '--alg')
  if (algs.length) s.algorithms = algs
  if (opts.iss !== undefined) s.issuer = opts.iss
  if (opts.aud.length) s.audience = opts.aud
  if (opts.clockTolerance !== undefined) {
    const n = Number(opts.clockTolerance.replace(/s$/, ''))
    if (!Number.isFinite(n) || n < 0) throw new UserError(`--clock-tolerance "${opts.clockTolerance}" is not a number of seconds`)
    s.clockToleranceSeconds = n
  }
  s.need = opts.need
  return { settings: s, notes }
}

/** `--jwks` takes an http(s) URL; a file path is a usage error that says where files go. */
function checkJwksUrl(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new UserError(`--jwks "${maskUrl(value)}" is not an http(s) URL`, 'Give the JWKS URL (e.g. https://issuer.example.com/.well-known/jwks.json); for a JWKS or JWK file use --public-key <file>.')
  return value
}

/** A redactor that knows every secret this run could touch: the output is passed through it. */
function redactorFor(loaded: LoadedAuth, settings: JwtSettings, extra: (string | undefined)[]): Redactor {
  const r = loaded.config ? buildRedactor(loaded.config, loaded.vars) : new Redactor()
  r.add(settings.secret)
  for (const s of settings.otherSecrets ?? []) r.add(s)
  for (const s of extra) r.add(s)
  return r
}

export async function run({ io, setExit }: RunContext, token: string | undefined, opts: JwtOptions): Promise<void> {
  const started = performance.now()
  const timeoutMs = opts.timeout ? parseDuration(opts.timeout, '--timeout') : 5000
  if (opts.pattern !== undefined) compilePattern(opts.pattern, '--pattern')
  const loaded = await loadAuthConfig(opts, io)
  const { settings, notes } = buildSettings(opts, loaded, io)
  const { inputs, skipped } = await gatherInputs(token, io)
  if (skipped > 0) notes.push(`skipped ${skipped} line${skipped > 1 ? 's' : ''} without a credential (request line, other headers, curl's * and < lines)`)
  const apiConf = loaded.config?.auth?.apiKey
  if (inputs.length === 0 && opts.apiKey && apiConf) {
    const { value, source } = apiKeyFrom(apiConf, loaded.vars)
    inputs.push({ text: value ?? '', source })
  }
  if (inputs.length === 0 && !(opts.apiKey && apiConf)) {
    const jwtToken = opts.apiKey ? undefined : loaded.config?.auth?.jwt?.token
    if (jwtToken) inputs.push({ text: jwtToken, source: 'auth.jwt.token' })
    else
      throw new UserError(
        stdinIsTTY(io) && token === undefined ? 'no token given' : 'no token on stdin (only blank lines)',
        'Pass the token as an argument (`medic jwt "$TOKEN"`), pipe tokens one per line (`medic jwt < tokens.txt`), or add --api-key to check an API key.',
      )
  }

  let subject: SubjectLookup | undefined
  const deps: JwtDeps = { fetchJwks: (url) => fetchJwksDocument(url, { timeoutMs }) }
  const sq = loaded.config?.auth?.jwt?.subjectQuery
  if (sq && !opts.apiKey) {
    const t = loaded.config?.targets[sq.target]
    if (!t) throw new UserError(`auth.jwt.subjectQuery names target "${sq.target}", which is not in targets:`)
    if (t.kind !== 'postgres') throw new UserError(`auth.jwt.subjectQuery needs a postgres target, "${sq.target}" is ${t.kind}`)
    subject = pgSubjectLookup(t.url, sq.sql, { timeoutMs })
    deps.subject = (sub) => subject!.lookup(sub)
    deps.subjectSource = `subjectQuery on ${sq.target} ${maskUrl(t.url)}`
  }
  let analyzer: JwtAnalyzer
  try {
    analyzer = new JwtAnalyzer(settings, deps)
    // A JWKS that cannot be fetched does not stop the run: each token says its signature went unchecked, and why.
    if (!opts.apiKey && inputs.some((i) => !looksLikeApiKey(i.text))) await analyzer.prepare()
  } catch (err) {
    await subject?.close()
    if (err instanceof UserError) throw new UserError(err.message, err.hint ?? 'Check the --public-key file or auth.jwt in the config.')
    throw err
  }
  const pattern = opts.pattern ?? apiConf?.pattern
  const patternName = opts.pattern !== undefined ? '--pattern' : 'auth.apiKey.pattern'
  const keysSeen: string[] = []
  const analyzeOne = async (input: Input, index: number): Promise<TokenResult> => {
    if (opts.apiKey || looksLikeApiKey(input.text)) {
      const h = keyFromHeaderLine(input.text)
      const where = h.header ? `${input.source}, header ${h.header}` : input.source
      // Never printed by construction; the redactor is a second guard (bounded: it scans the whole output per key).
      if (keysSeen.length < 200) keysSeen.push(h.value.trim().replace(/^(bearer\s+)+/i, '').replace(/^["'`]+|["'`]+$/g, ''))
      // "Authorization: Bearer Bearer x" arrives as value "Bearer x": analyzeApiKey reports the doubled prefix.
      return { kind: 'apikey', index, source: input.source, analysis: analyzeApiKey(h.value, { pattern, patternName, source: where, variable: apiConf?.variable }) }
    }
    return { kind: 'jwt', index, source: input.source, analysis: await analyzer.analyze(input.text) }
  }
  const results: TokenResult[] = []
  try {
    // Batches keep WebCrypto busy without holding thousands of promises at once.
    const BATCH = 256
    for (let i = 0; i < inputs.length; i += BATCH) {
      const batch = inputs.slice(i, i + BATCH)
      results.push(...(await Promise.all(batch.map((input, j) => analyzeOne(input, i + j + 1)))))
    }
  } finally {
    await subject?.close()
  }

  const redactor = redactorFor(loaded, settings, keysSeen)
  const counts = { ok: 0, warning: 0, critical: 0, unknown: 0 }
  for (const r of results) counts[r.analysis.status]++
  // A signature medic could not check (empty secret, JWKS unreachable) is UNKNOWN, not OK.
  const status = counts.critical ? 'critical' : counts.unknown ? 'unknown' : counts.warning ? 'warning' : 'ok'
  const allNotes = [...loaded.notes, ...notes]
  let out: string
  if (opts.json) {
    const parts = results.map((r) => JSON.stringify(resultJson(r)))
    out = `{"schemaVersion":1,"command":"jwt","status":${JSON.stringify(status)},"durationMs":${Math.round(performance.now() - started)},"summary":${JSON.stringify({ tokens: results.length, ...counts })},"notes":${JSON.stringify(allNotes)},"tokens":[${parts.join(',')}]}\n`
  } else {
    const color = opts.color !== false && io.stdoutIsTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '') && io.env.TERM !== 'dumb'
    const c = pc.createColors(true)
    const paint: Paint = color ? { red: c.red, yellow: c.yellow, green: c.green, bold: c.bold, dim: c.dim } : plain
    const many = results.length > 1
    const blocks = results.map((r) => renderText(r, paint, many ? `token ${r.index} (${r.source})` : undefined))
    out = blocks.join('\n')
    if (allNotes.length) out += allNotes.map((n) => paint.dim(`note: ${n}`)).join('\n') + '\n'
    if (many) out += `\n${results.length} tokens: ${counts.ok} ok, ${counts.warning} warning, ${counts.critical} critical${counts.unknown ? `, ${counts.unknown} not verifiable` : ''}\n`
  }
  io.stdout(redactor.redact(out))
  setExit(counts.critical ? EXIT.CRITICAL : counts.unknown ? EXIT.UNKNOWN : counts.warning ? EXIT.WARNING : EXIT.OK)
}
