/**
 * From the `auth:` section of medic.yaml to analyzer settings: shared by the auth checks and
 * `medic jwt`. Reads a public key given as a file path, and the API key from its variable.
 */
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { JwtSettings } from '../../auth/analyze.js'
import type { MedicConfig } from '../../config/schema.js'

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

/** `publicKey` is PEM/JWK text or a path to a file holding it (relative to `baseDir`). */
export function readPublicKey(value: string, baseDir: string): string {
  const t = value.trim()
  if (t.startsWith('-----BEGIN') || t.startsWith('{')) return t
  const path = isAbsolute(t) ? t : resolve(baseDir, t)
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new Error(`cannot read the public key file ${path} (${code === 'ENOENT' ? 'file not found' : code ?? String(err)})`)
  }
}

export function jwtSettingsFrom(jwt: JwtConfig | undefined, routes: Record<string, string[]>, baseDir: string): JwtSettings {
  if (!jwt) return { routes }
  return {
    secret: jwt.secret,
    publicKey: jwt.publicKey !== undefined ? readPublicKey(jwt.publicKey, baseDir) : undefined,
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
