/**
 * URL/DSN variables: which variables hold one, whether it parses the way a driver would read it,
 * its host, and a redacted form that is safe to print even when the value does not parse.
 */
import { isIP } from 'node:net'
import { orderedNames, type AppEnvironment } from './environment.js'

/** Names that hold a URL or DSN. Upper-case only, so `npm_config_registry` and friends stay out. */
const URL_NAME = /^(?:[A-Z][A-Z0-9_]*_)?(?:URL|URI|DSN)$/
/** Names that hold a bare host (or host:port). */
const HOST_NAME = /^[A-Z][A-Z0-9_]*_(?:HOST|HOSTNAME|SERVER)$/
/** Variables that look like hosts but are not (the machine's own name, bind addresses). */
const NOT_A_HOST = new Set(['HOSTNAME', 'LISTEN_HOST', 'BIND_HOST', 'APP_HOST', 'SERVER_HOST', 'UVICORN_HOST', 'GUNICORN_HOST'])

/**
 * Schemes a backend's environment uses; `+driver` suffixes (postgresql+asyncpg) are accepted.
 * `host` says whether the scheme needs a host (sqlite:/// and unix:// do not).
 */
export const KNOWN_SCHEMES: Record<string, { host: boolean }> = {
  http: { host: true },
  https: { host: true },
  ws: { host: true },
  wss: { host: true },
  postgres: { host: false }, // libpq allows postgres:///db over the local socket
  postgresql: { host: false },
  mysql: { host: true },
  mariadb: { host: true },
  redis: { host: false },
  rediss: { host: true },
  'redis-sentinel': { host: true },
  valkey: { host: true },
  amqp: { host: true },
  amqps: { host: true },
  mongodb: { host: true },
  'mongodb+srv': { host: true },
  mssql: { host: true },
  sqlserver: { host: true },
  oracle: { host: true },
  sqlite: { host: false },
  file: { host: false },
  unix: { host: false },
  nats: { host: true },
  kafka: { host: true },
  memcached: { host: true },
  smtp: { host: true },
  smtps: { host: true },
  ldap: { host: true },
  ldaps: { host: true },
  grpc: { host: true },
  s3: { host: true },
  ftp: { host: true },
  sftp: { host: true },
  elasticsearch: { host: true },
  clickhouse: { host: true },
  cassandra: { host: true },
}

export function isUrlVariable(name: string, value: string, env?: AppEnvironment): boolean {
  if (URL_NAME.test(name)) return true
  // A value from the app's own .env with a scheme is a URL whatever its name.
  return env?.origin[name] === '.env' && /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)
}

export function isHostVariable(name: string): boolean {
  return HOST_NAME.test(name) && !NOT_A_HOST.has(name)
}

export interface UrlCheck {
  ok: boolean
  /** Why it does not parse, in words that never include the value. */
  problem?: string
  scheme?: string
  host?: string
  port?: number
}

function baseScheme(scheme: string): string {
  // postgresql+asyncpg -> postgresql; mongodb+srv is a scheme of its own.
  return scheme === 'mongodb+srv' ? scheme : scheme.split('+')[0]
}

/** Parse a URL/DSN as a driver would; never throws. */
export function checkUrl(value: string): UrlCheck {
  if (value.length > 8192) return { ok: false, problem: 'longer than 8192 characters' }
  if (value !== value.trim()) return { ok: false, problem: 'leading or trailing whitespace (drivers do not trim it)' }
  if (/["'`]/.test(value)) return { ok: false, problem: 'contains a quote character (stray quotes around the value?)' }
  if (/\s/.test(value)) return { ok: false, problem: 'contains whitespace' }
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(\/\/)?/.exec(value)
  if (!m) return { ok: false, problem: 'has no scheme (expected scheme://host:port/...)' }
  const scheme = m[1].toLowerCase()
  if (!m[2]) return { ok: false, problem: `"${scheme}:" is not followed by // (expected ${scheme}://host...)`, scheme }
  const known = KNOWN_SCHEMES[baseScheme(scheme)]
  if (!known) return { ok: false, problem: `unknown scheme "${scheme}" (a missing scheme makes host:port look like one)`, scheme }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    const atCount = (value.slice(m[0].length).split(/[/?#]/)[0].match(/@/g) ?? []).length
    return {
      ok: false,
      scheme,
      problem:
        /:[^@/]*[#/?][^@]*@/.test(value.slice(m[0].length)) || atCount > 1
          ? 'does not parse: the password seems to contain # / ? or @, which must be percent-encoded'
          : 'does not parse as a URL (check the port and any special characters in the password)',
    }
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (known.host && !host) return { ok: false, problem: `${scheme} needs a host`, scheme }
  const port = url.port ? Number(url.port) : undefined
  if (port === 0) return { ok: false, problem: 'port 0', scheme, host }
  return { ok: true, scheme, host: host || undefined, port }
}

/**
 * The value with any password masked, safe to print even when it does not parse: userinfo is cut at
 * the LAST `@` before the path (so a password holding `@` or `#` is still hidden) and query
 * parameters naming a secret are masked.
 */
export function redactUrl(value: string): string {
  const v = value.length > 200 ? value.slice(0, 200) + '…' : value
  const m = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)$/s.exec(v)
  if (!m) {
    // No scheme: we cannot tell the parts apart; keep only a short, safe prefix.
    return v.includes('@') || v.length > 40 ? `${v.slice(0, 3)}… (${value.length} characters)` : v.replace(/:[^:@]*@/, ':***@')
  }
  let rest = m[2]
  const at = rest.lastIndexOf('@')
  if (at >= 0) {
    const userinfo = rest.slice(0, at)
    const colon = userinfo.indexOf(':')
    rest = (colon >= 0 ? `${userinfo.slice(0, colon)}:***` : userinfo) + rest.slice(at)
  } else {
    // No `@`: a value cut short (a `#` in the password started a .env comment) leaves `user:password`
    // where host:port should be. A non-numeric "port" may be a password: mask it.
    rest = rest.replace(/^([^/?#:]*):([^/?#]*)/, (whole, host: string, port: string) => (/^\d*$/.test(port) ? whole : `${host}:***`))
  }
  rest = rest.replace(/([?&][^=&#]*(?:pass|secret|token|key|pwd)[^=&#]*=)[^&#]*/gi, '$1***')
  return m[1] + rest
}

export interface HostRef {
  variable: string
  host: string
  port?: number
}

/** Hosts named by URL/DSN variables and *_HOST variables; IP literals and sockets are left out. */
export function hostsOf(env: AppEnvironment): HostRef[] {
  const out: HostRef[] = []
  for (const name of orderedNames(env)) {
    const value = env.vars[name]
    if (!value) continue
    if (isUrlVariable(name, value, env)) {
      const u = checkUrl(value)
      if (u.ok && u.host) out.push({ variable: name, host: u.host, port: u.port })
    } else if (isHostVariable(name)) {
      const m = /^\s*([A-Za-z0-9._-]+)(?::(\d{1,5}))?\s*$/.exec(value)
      if (m) out.push({ variable: name, host: m[1], port: m[2] ? Number(m[2]) : undefined })
    }
  }
  return out.filter((h) => !isIP(h.host) && h.host.length <= 253 && !h.host.startsWith('/'))
}
