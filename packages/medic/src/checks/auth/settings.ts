/**
 * From the `auth:` section of medic.yaml to analyzer settings: shared by the auth checks and
 * `medic jwt`. Reads a public key given as a file path, and the API key from its variable.
 */
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { JwtSettings } from '../../auth/analyze.js'
import { SUPPORTED_ALGS } from '../../auth/keys.js'
import type { MedicConfig } from '../../config/schema.js'
import { UserError } from '../../engine/errors.js'

export type AuthConfig = NonNullable<MedicConfig['auth']>
export type JwtConfig = NonNullable<AuthConfig['jwt']>
export type ApiKeyConfig = NonNullable<AuthConfig['apiKey']>

/**
 * Where relative paths start and which environment the app sees: the target options `baseDir` and
 * `processEnv` when whoever built the target set them (the CLI: its cwd and injected env), else
 * the process's own (the same convention as the config and migrations checks).
 */
export function targetPlace(options: Record<string, unknown>): { baseDir: string; env: Record<string, string | undefined> } {
  const baseDir = typeof options.baseDir === 'string' && options.baseDir ? resolve(options.baseDir) : process.cwd()
  const env = options.processEnv && typeof options.processEnv === 'object' ? (options.processEnv as Record<string, string | undefined>) : process.env
  return { baseDir, env }
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
}

/**
 * `publicKey` is PEM/JWK text or a path to a file holding it (relative to `baseDir`). `name` says
 * where the value came from (`--public-key`, `auth.jwt.publicKey`); an unreadable file is a
 * UserError: the CLI prints it without a stack trace, the check reports it as its reason.
 */
export function readPublicKey(value: string, baseDir: string, name = 'auth.jwt.publicKey'): string {
  const t = value.trim()
  if (t.startsWith('-----BEGIN') || t.startsWith('{')) return t
  if (t === '') throw new UserError(`${name} is empty`, 'Give the path of a PEM public key, certificate or JWK file, or the PEM text itself.')
  const path = isAbsolute(t) ? t : resolve(baseDir, t)
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = (code && READ_ERRORS[code]) ?? code ?? String(err)
    throw new UserError(
      `cannot read ${name} ${t} (${why}${path !== t ? `: ${path}` : ''})`,
      'Give the path of a PEM public key, certificate or JWK file (e.g. ./public.pem), or the PEM text itself; for a JWKS URL use --jwks / auth.jwt.jwks.',
    )
  }
}

/** Algorithms medic can verify; anything else is a usage error listing them (`hs256` suggests HS256). */
export function checkAlgorithms(algs: string[], name: string): void {
  for (const a of algs) {
    if (SUPPORTED_ALGS.includes(a)) continue
    const near = SUPPORTED_ALGS.find((s) => s.toLowerCase() === a.toLowerCase())
    throw new UserError(`${name}: unknown algorithm ${JSON.stringify(a)}${near ? ` (did you mean ${near}?)` : ''}`, `Supported: ${SUPPORTED_ALGS.join(', ')}.`)
  }
}

export function jwtSettingsFrom(jwt: JwtConfig | undefined, routes: Record<string, string[]>, baseDir: string): JwtSettings {
  if (!jwt) return { routes }
  if (jwt.algorithms) checkAlgorithms(jwt.algorithms, 'auth.jwt.algorithms')
  return {
    secret: jwt.secret,
    secretName: 'auth.jwt.secret',
    publicKey: jwt.publicKey !== undefined ? readPublicKey(jwt.publicKey, baseDir) : undefined,
    publicKeyName: 'auth.jwt.publicKey',
    jwks: jwt.jwks,
    algorithms: jwt.algorithms,
    issuer: jwt.issuer,
    audience: jwt.audience,
    clockToleranceSeconds: jwt.clockToleranceSeconds,
    otherSecrets: jwt.otherSecrets,
    routes,
  }
}

/** The API key's value and where it came from; `vars` is the process env merged with .env. */
export function apiKeyFrom(conf: ApiKeyConfig, vars: Record<string, string | undefined>): { value: string | undefined; source: string } {
  if (conf.value !== undefined) return { value: conf.value, source: 'auth.apiKey.value' }
  if (conf.variable) return { value: vars[conf.variable], source: `variable ${conf.variable}` }
  return { value: undefined, source: 'auth.apiKey (neither value nor variable set)' }
}
