/**
 * Why a connect to MySQL/MariaDB failed, as data: driver/socket error code or server error number
 * -> the finding it means, a short reason for runbooks, and the words a person needs.
 * Server messages (`Access denied for user 'app'@'10.0.0.5' (using password: YES)`) carry no
 * secret and are kept; the driver's message is classified, not just echoed.
 */
import type { MysqlAddress } from './client.js'

export type ConnectFinding = 'mysql.unreachable' | 'mysql.auth-failed' | 'mysql.database-missing' | 'mysql.connections-saturated'

export interface ConnectFailure {
  finding: ConnectFinding
  /** Short, stable reason for observations and runbooks: `refused`, `timeout`, `dns`, `access-denied`... */
  reason: string
  /** `ECONNREFUSED` or `ER_ACCESS_DENIED_ERROR 1045`. */
  code: string
  /** One line for the check result and for skip reasons of the other checks. */
  summary: string
  /** What it usually means. */
  explanation: string
  /** The server's own text, when the server answered. */
  serverMessage?: string
  /** The TLS library's reason (`self-signed certificate`), for TLS failures. */
  tlsMessage?: string
  hostResolves?: boolean
  resolvedTo?: string[]
  elapsedMs: number
}

interface Facts {
  address: MysqlAddress
  /** The TCP connection was accepted (a timeout then means: no MySQL greeting). */
  tcpOpen: boolean
  elapsedMs: number
  /** medic's own deadline passed. */
  aborted: boolean
}

interface Rule {
  /** Socket/driver codes (`ECONNREFUSED`) or server error numbers (1045). */
  match: (string | number)[]
  finding: ConnectFinding
  reason: string
  summary: (f: Facts & { where: string }) => string
  explanation: string
}

const RULES: Rule[] = [
  {
    match: ['ENOTFOUND', 'EAI_NONAME', 'EAI_NODATA'],
    finding: 'mysql.unreachable',
    reason: 'dns',
    summary: (f) => `host "${f.address.host}" does not resolve`,
    explanation: 'The host name has no DNS (or /etc/hosts) entry: a typo, or a docker-compose service name used outside its network or different from the service (DB_HOST=db while the service is `mysql`).',
  },
  {
    match: ['EAI_AGAIN'],
    finding: 'mysql.unreachable',
    reason: 'dns',
    summary: (f) => `host "${f.address.host}" could not be resolved (DNS did not answer)`,
    explanation: 'The DNS server did not answer for this name (temporary failure or no resolver reachable).',
  },
  {
    match: ['ECONNREFUSED'],
    finding: 'mysql.unreachable',
    reason: 'refused',
    summary: (f) => `connection refused by ${f.where}`,
    explanation: 'Nothing listens on that address and port: the server is down or still starting, listens on another port, or is bound to another interface (bind-address=127.0.0.1, skip-networking).',
  },
  {
    match: ['ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT'],
    finding: 'mysql.unreachable',
    reason: 'timeout',
    summary: (f) =>
      f.tcpOpen
        ? `${f.where} accepted the TCP connection but sent no MySQL greeting within ${f.elapsedMs} ms`
        : `no answer from ${f.where} within ${f.elapsedMs} ms`,
    explanation: 'Packets are dropped (firewall, security group, wrong host) or the server is hung; when TCP is accepted but no greeting comes, the port belongs to something else or the server is stuck (disk full, thread exhaustion).',
  },
  {
    match: ['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'],
    finding: 'mysql.unreachable',
    reason: 'no-route',
    summary: (f) => `no route to ${f.where}`,
    explanation: 'The host is down or the network path to it is missing (wrong subnet, VPN down, container not on the same network).',
  },
  {
    match: ['ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST'],
    finding: 'mysql.unreachable',
    reason: 'closed',
    summary: (f) => `${f.where} closed the connection during the handshake`,
    explanation: 'The server hung up before login: it is shutting down, the port is not MySQL, or a proxy/firewall cut the connection.',
  },
  {
    match: ['HANDSHAKE_NO_SSL_SUPPORT', 'HANDSHAKE_SSL_ERROR', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'ERR_SSL_WRONG_VERSION_NUMBER'],
    finding: 'mysql.unreachable',
    reason: 'tls',
    summary: (f) => `TLS with ${f.where} failed`,
    explanation: 'The DSN asks for TLS and the server does not offer it, or its certificate is not trusted for this host name.',
  },
  {
    match: [1129],
    finding: 'mysql.unreachable',
    reason: 'host-blocked',
    summary: () => 'the server blocks this client host after too many connection errors (max_connect_errors)',
    explanation: 'Repeated failed handshakes from this host made the server block it until `FLUSH HOSTS` (or `mysqladmin flush-hosts`) is run.',
  },
  {
    match: [1053, 1077, 1152],
    finding: 'mysql.unreachable',
    reason: 'shutting-down',
    summary: () => 'the server is shutting down or aborted the connection',
    explanation: 'A shutdown or restart is in progress.',
  },
  {
    match: [1045, 1698, 1873],
    finding: 'mysql.auth-failed',
    reason: 'access-denied',
    summary: (f) => `access denied for user "${f.address.user}"`,
    explanation: 'Wrong password, or no account matches this user and client host (accounts are user@host: app@localhost does not cover connections from 172.18.0.5).',
  },
  {
    match: [1044],
    finding: 'mysql.auth-failed',
    reason: 'no-database-privilege',
    summary: (f) => `user "${f.address.user}" has no privileges on database "${f.address.database ?? ''}"`,
    explanation: 'The login is valid but the account has no grant on this database. MySQL says this whether or not the database exists, so it may also be missing.',
  },
  {
    match: [1130],
    finding: 'mysql.auth-failed',
    reason: 'host-not-allowed',
    summary: () => 'no account allows connections from this client host',
    explanation: "The user exists only for other hosts (for example app@localhost, while medic or the app connects over TCP from another address); create app@'%' or app@<client address>.",
  },
  {
    match: [1251, 1524, 'AUTH_SWITCH_PLUGIN_ERROR'],
    finding: 'mysql.auth-failed',
    reason: 'auth-plugin',
    summary: () => 'the account uses an authentication plugin this client cannot use',
    explanation: 'The account authenticates with a plugin the client does not support (unix_socket, an unloaded plugin, or an old client against caching_sha2_password).',
  },
  {
    match: [1820, 1862],
    finding: 'mysql.auth-failed',
    reason: 'password-expired',
    summary: (f) => `the password of "${f.address.user}" has expired`,
    explanation: 'The server accepts the login only to change the password.',
  },
  {
    match: [3118, 4151, 3955],
    finding: 'mysql.auth-failed',
    reason: 'account-locked',
    summary: (f) => `the account "${f.address.user}" is locked`,
    explanation: 'The account was locked (ACCOUNT LOCK) or locked after failed logins.',
  },
  {
    match: [1049],
    finding: 'mysql.database-missing',
    reason: 'database-missing',
    summary: (f) => `database "${f.address.database ?? ''}" does not exist`,
    explanation: 'The server runs but the schema was never created: the app started before the database was initialised ("Database not initialized"), the volume was recreated, or the DSN names another database.',
  },
  {
    match: [1040],
    finding: 'mysql.connections-saturated',
    reason: 'too-many-connections',
    summary: () => 'the server refused the login: too many connections (max_connections reached)',
    explanation: 'Every connection slot is taken, so new clients (the app included) cannot log in. Usually a pool that is too large, connections leaked by the app, or sleeping connections never closed.',
  },
  {
    match: [1203, 1226],
    finding: 'mysql.connections-saturated',
    reason: 'user-connection-limit',
    summary: (f) => `the server refused the login: "${f.address.user}" reached its own connection limit`,
    explanation: 'The account hit max_user_connections (or a per-hour resource limit): its pool is larger than the limit, or it leaks connections.',
  },
]

const byKey = new Map<string | number, Rule>()
for (const rule of RULES) for (const m of rule.match) byKey.set(m, rule)

/** `ER_ACCESS_DENIED_ERROR 1045` for server errors, `ECONNREFUSED` for socket errors. */
function codeOf(err: { code?: unknown; errno?: unknown }): string {
  const code = typeof err.code === 'string' ? err.code : ''
  const errno = typeof err.errno === 'number' ? err.errno : undefined
  return errno !== undefined && /^ER_/.test(code) ? `${code} ${errno}` : code || (errno !== undefined ? String(errno) : 'unknown')
}

/**
 * Classify a connect error. An error the table does not know is rethrown: the check then ends as
 * `error` with the driver's reason rather than a guessed finding.
 */
export function classifyConnectError(err: unknown, facts: Facts): ConnectFailure {
  const e = (err ?? {}) as { code?: unknown; errno?: unknown; sqlMessage?: unknown; message?: unknown }
  const where = facts.address.socketPath ? `socket ${facts.address.socketPath}` : `${facts.address.host}:${facts.address.port}`
  let rule = (typeof e.errno === 'number' && e.sqlMessage !== undefined ? byKey.get(e.errno) : undefined) ?? byKey.get(String(e.code))
  let code = codeOf(e)
  // medic's own deadline passed before the driver's timer: the same thing, a timeout.
  if (!rule && facts.aborted) {
    rule = byKey.get('ETIMEDOUT')
    code = 'ETIMEDOUT'
  }
  if (!rule) throw err
  const failure: ConnectFailure = {
    finding: rule.finding,
    reason: rule.reason,
    code,
    summary: rule.summary({ ...facts, where }),
    explanation: rule.explanation,
    elapsedMs: facts.elapsedMs,
  }
  if (typeof e.sqlMessage === 'string' && e.sqlMessage) failure.serverMessage = e.sqlMessage
  if (rule.reason === 'tls' && typeof e.message === 'string') failure.tlsMessage = e.message
  return failure
}

/** Every code the table knows, for the docs and tests. */
export const KNOWN_CONNECT_ERRORS = RULES.map((r) => ({ match: r.match, finding: r.finding, reason: r.reason }))
