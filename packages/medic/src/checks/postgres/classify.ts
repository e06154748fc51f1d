/**
 * One place that turns a failed PostgreSQL connect into a diagnosis: which finding, what kind of
 * failure, a plain explanation and the fix. Data-driven: SQLSTATE / Node error codes first, the
 * driver's message only where one code covers several causes (28000, 53300).
 */

export type PgFailureFinding = 'postgres.unreachable' | 'postgres.auth-failed' | 'postgres.database-missing' | 'postgres.connections-saturated'

export type PgFailureKind =
  | 'refused'
  | 'timeout'
  | 'host-not-found'
  | 'dns-temporary'
  | 'host-unreachable'
  | 'reset'
  | 'tls'
  | 'not-postgres'
  | 'starting-up'
  | 'shutting-down'
  | 'password'
  | 'no-password'
  | 'role-missing'
  | 'no-hba-entry'
  | 'auth-other'
  | 'database-missing'
  | 'reserved-slots'
  | 'too-many-clients'
  | 'too-many-for-role'
  | 'unknown'

/** What the connect was aimed at (no password). */
export interface PgEndpoint {
  host: string
  port: number
  database: string
  user: string
}

export interface PgFailure {
  finding: PgFailureFinding
  kind: PgFailureKind
  /** SQLSTATE or Node error code, when there is one. */
  code?: string
  /** One line for people: what happened, in terms of the endpoint. */
  summary: string
  fix: string
  /** The driver's own message (passwords never appear in pg's messages; the report redacts anyway). */
  driverMessage: string
}

interface Rule {
  kind: PgFailureKind
  finding: PgFailureFinding
  /** When both `codes` and `message` are given, both must match (one SQLSTATE, several causes). */
  codes?: string[]
  message?: RegExp
  /** Matches on the message alone (driver errors without a code). */
  orMessage?: RegExp
  summary: (e: PgEndpoint) => string
  fix: (e: PgEndpoint) => string
}

const at = (e: PgEndpoint) => `${e.host}:${e.port}`

/** Checked in order; the first rule whose code (if any) and message (if any) both match wins. */
export const PG_FAILURE_RULES: Rule[] = [
  {
    kind: 'reserved-slots',
    finding: 'postgres.connections-saturated',
    codes: ['53300'],
    message: /remaining connection slots are reserved/i,
    summary: (e) => `every non-reserved connection slot on ${at(e)} is in use: only superusers (reserved slots) may connect`,
    fix: () =>
      'Find who holds the connections (SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1,2,3 ORDER BY 4 DESC), end leaked or idle-in-transaction sessions (pg_terminate_backend), cap each app pool so the sum stays under max_connections − superuser_reserved_connections, and put PgBouncer in front when many processes connect.',
  },
  {
    kind: 'too-many-clients',
    finding: 'postgres.connections-saturated',
    codes: ['53300'],
    message: /too many clients/i,
    summary: (e) => `${at(e)} refused the connection: all max_connections slots are in use (superuser slots included)`,
    fix: () =>
      'Every slot is taken. From a session that still works (or after stopping one client), list pg_stat_activity by application and state, terminate leaked sessions, lower app pool sizes or raise max_connections (restart needed), and consider PgBouncer.',
  },
  {
    kind: 'too-many-for-role',
    finding: 'postgres.connections-saturated',
    codes: ['53300'],
    summary: (e) => `${at(e)} refused the connection: a connection limit was reached for role "${e.user}" or database "${e.database}"`,
    fix: (e) => `Check rolconnlimit (SELECT rolconnlimit FROM pg_roles WHERE rolname = '${e.user}') and datconnlimit of "${e.database}"; close leaked sessions or raise the limit.`,
  },
  {
    kind: 'password',
    finding: 'postgres.auth-failed',
    codes: ['28P01'],
    summary: (e) => `password authentication failed for role "${e.user}" on ${at(e)}`,
    fix: (e) =>
      `The password in the DSN does not match role "${e.user}". Check DATABASE_URL (URL-encode special characters such as @ : / # in the password), or reset it: ALTER ROLE "${e.user}" PASSWORD '...'; (as a superuser).`,
  },
  {
    kind: 'role-missing',
    finding: 'postgres.auth-failed',
    codes: ['28000'],
    message: /role .* does not exist/i,
    summary: (e) => `role "${e.user}" does not exist on ${at(e)}`,
    fix: (e) => `Create the role (CREATE ROLE "${e.user}" LOGIN PASSWORD '...') or fix the user name in the DSN.`,
  },
  {
    kind: 'no-hba-entry',
    finding: 'postgres.auth-failed',
    codes: ['28000'],
    message: /pg_hba\.conf/i,
    summary: (e) => `pg_hba.conf on ${at(e)} has no entry allowing (or has one rejecting) role "${e.user}" to database "${e.database}" from this host`,
    fix: (e) =>
      `Add a line to pg_hba.conf such as \`host ${e.database} ${e.user} <client-ip>/32 scram-sha-256\` and reload (SELECT pg_reload_conf()); check whether the server requires SSL (hostssl) and the DSN lacks sslmode=require.`,
  },
  {
    kind: 'auth-other',
    finding: 'postgres.auth-failed',
    codes: ['28000'],
    summary: (e) => `${at(e)} rejected role "${e.user}" (invalid authorization)`,
    fix: () => 'Read the server log for the FATAL line of this attempt; check the role (rolcanlogin), pg_hba.conf and the authentication method.',
  },
  {
    kind: 'no-password',
    finding: 'postgres.auth-failed',
    orMessage: /client password must be a string|password authentication.*no password|no password supplied|SASL: SCRAM-SERVER-FIRST-MESSAGE/i,
    summary: (e) => `${at(e)} asked for a password for role "${e.user}" but the DSN has none`,
    fix: () => 'Put the password in the DSN (postgres://user:password@host/db) or in PGPASSWORD / ~/.pgpass.',
  },
  {
    kind: 'database-missing',
    finding: 'postgres.database-missing',
    codes: ['3D000'],
    summary: (e) => `database "${e.database}" does not exist on ${at(e)}`,
    fix: (e) =>
      `Create it (CREATE DATABASE "${e.database}" OWNER "${e.user}") and run the migrations, or fix the database name at the end of the DSN. List the existing ones with \\l in psql.`,
  },
  {
    kind: 'starting-up',
    finding: 'postgres.unreachable',
    codes: ['57P03'],
    summary: (e) => `${at(e)} is up but not accepting connections yet (starting up, shutting down or in recovery)`,
    fix: () => 'Wait for startup/recovery to finish and read the server log; if it stays this way, recovery may be stuck (disk full, missing WAL).',
  },
  {
    kind: 'shutting-down',
    finding: 'postgres.unreachable',
    codes: ['57P01', '57P02'],
    summary: (e) => `${at(e)} is shutting down (administrator command or crash)`,
    fix: () => 'Read the server log and the service manager (systemctl status postgresql / docker ps) for why the server stopped.',
  },
  {
    kind: 'refused',
    finding: 'postgres.unreachable',
    codes: ['ECONNREFUSED'],
    summary: (e) => `connection refused: nothing listens on ${at(e)}`,
    fix: (e) =>
      `PostgreSQL is not running or listens elsewhere. Check the service (systemctl status postgresql, docker ps), its port and listen_addresses, and that the DSN names the right host and port (${at(e)}). Inside a container, localhost is the container itself: use the service name.`,
  },
  {
    kind: 'host-not-found',
    finding: 'postgres.unreachable',
    codes: ['ENOTFOUND'],
    summary: (e) => `host name "${e.host}" does not resolve (DNS: not found)`,
    fix: (e) => `Fix the host in the DSN; "${e.host}" is not a known name here. Compose service names resolve only inside the compose network.`,
  },
  {
    kind: 'dns-temporary',
    finding: 'postgres.unreachable',
    codes: ['EAI_AGAIN'],
    summary: (e) => `host name "${e.host}" could not be resolved (DNS server did not answer)`,
    fix: () => 'Check the resolver (/etc/resolv.conf, the container network) and retry.',
  },
  {
    kind: 'host-unreachable',
    finding: 'postgres.unreachable',
    codes: ['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'],
    summary: (e) => `no route to ${at(e)} (host or network unreachable)`,
    fix: () => 'Check the network path: the host is down, a VPN/VPC route is missing, or a security group drops the traffic.',
  },
  {
    kind: 'timeout',
    finding: 'postgres.unreachable',
    codes: ['ETIMEDOUT', 'MEDIC_DEADLINE'],
    orMessage: /timeout|timed out|deadline/i,
    summary: (e) => `${at(e)} did not answer in time (a firewall dropping packets, an overloaded server, or a port that is not PostgreSQL)`,
    fix: (e) =>
      `Check that ${at(e)} is the PostgreSQL port and reachable from here (pg_isready -h ${e.host} -p ${e.port}); a firewall or security group that drops instead of rejecting shows exactly this. If the server is overloaded, read its log and load.`,
  },
  {
    kind: 'tls',
    finding: 'postgres.unreachable',
    orMessage: /SSL|TLS|certificate|self[- ]signed/i,
    summary: (e) => `the TLS handshake with ${at(e)} failed`,
    fix: () => 'Match sslmode to the server: sslmode=require needs ssl=on on the server; verify-full needs a trusted CA (sslrootcert) and a host name that matches the certificate.',
  },
  {
    kind: 'reset',
    finding: 'postgres.unreachable',
    codes: ['ECONNRESET', 'EPIPE'],
    orMessage: /terminated unexpectedly|connection reset|socket hang up/i,
    summary: (e) => `${at(e)} closed the connection during the handshake (not PostgreSQL on that port, a proxy rejecting it, or the server crashing)`,
    fix: (e) => `Check what listens on ${at(e)} and read the PostgreSQL server log around this time.`,
  },
  {
    kind: 'not-postgres',
    finding: 'postgres.unreachable',
    orMessage: /unexpected message|invalid (response|packet)|Received unexpected/i,
    summary: (e) => `${at(e)} answered, but not with the PostgreSQL protocol`,
    fix: (e) => `Another service listens on ${at(e)}; fix the port in the DSN.`,
  },
]

const UNKNOWN: Omit<Rule, 'codes' | 'message' | 'orMessage'> = {
  kind: 'unknown',
  finding: 'postgres.unreachable',
  summary: (e) => `connecting to ${at(e)} failed`,
  fix: () => 'Read the driver message below and the PostgreSQL server log.',
}

/** Classify a connect error from `pg` (or Node's net/dns layer). */
export function classifyPgError(err: unknown, endpoint: PgEndpoint): PgFailure {
  const e = (err ?? {}) as { code?: unknown; message?: unknown; errors?: unknown[] }
  // Node's happy-eyeballs connect throws AggregateError (IPv4 + IPv6): use the first inner error's code.
  const inner = Array.isArray(e.errors) && e.errors.length ? (e.errors[0] as { code?: unknown; message?: unknown }) : undefined
  const code = typeof e.code === 'string' ? e.code : typeof inner?.code === 'string' ? inner.code : undefined
  const message = [e.message, inner?.message].filter((m) => typeof m === 'string' && m).join(' / ') || String(err)
  const matches = (r: Rule) =>
    ((r.codes || r.message) && (!r.codes || (code !== undefined && r.codes.includes(code))) && (!r.message || r.message.test(message))) ||
    (r.orMessage !== undefined && r.orMessage.test(message))
  const rule = PG_FAILURE_RULES.find(matches) ?? UNKNOWN
  return { finding: rule.finding, kind: rule.kind, ...(code ? { code } : {}), summary: rule.summary(endpoint), fix: rule.fix(endpoint), driverMessage: message }
}
