/**
 * Known error signatures, as data: what the log line says, what it means, and what to do.
 * `needles` are plain substrings (any one must occur) checked before the pattern runs, so the cost
 * on ordinary lines is a few indexOf calls. `{1}` in a title is the pattern's first capture.
 * Add entries here; keep ids stable (they appear in JSON output).
 */
import type { Severity } from '../engine/types.js'

export interface KnownErrorSpec {
  id: string
  needles: string[]
  pattern: string
  flags?: string
  severity: Severity
  title: string
  cause: string
  fix: string
  /** Finding ids of other checks that confirm it (for the reader). */
  related?: string[]
}

export const KNOWN_ERRORS: KnownErrorSpec[] = [
  {
    id: 'db-pool-exhausted',
    needles: ['QueuePool limit', 'timeout exceeded when trying to connect', 'Connection is not available, request timed out', 'pool timed out while waiting', 'Timed out fetching a new connection'],
    pattern: 'QueuePool limit of size \\d+ overflow \\d+ reached|timeout exceeded when trying to connect|HikariPool-\\d+ - Connection is not available, request timed out|pool timed out while waiting|Timed out fetching a new connection from the connection pool',
    severity: 'critical',
    title: 'Database connection pool exhausted',
    cause: 'Every connection of the application pool is checked out (pool_size + max_overflow in SQLAlchemy, `max` in node-postgres, maximumPoolSize in HikariCP) and requests wait until the pool timeout. Usual reasons: sessions not closed (leak), long transactions, slow queries, or a pool too small for the concurrency.',
    fix: 'Find what holds connections (pg_stat_activity: state, xact_start, query); close sessions in a finally/context manager (`async with session`), shorten transactions, add timeouts to slow queries; only then raise the pool size, keeping the total under the server max_connections.',
    related: ['postgres.connections', 'metrics.pool-saturated'],
  },
  {
    id: 'pg-slots-reserved',
    needles: ['remaining connection slots are reserved', 'too many clients', 'Too many connections'],
    pattern: 'remaining connection slots are reserved|sorry, too many clients already|too many clients|Too many connections',
    severity: 'critical',
    title: 'The database refuses new connections (max_connections reached)',
    cause: 'The server has no free connection slot: the sum of every pool (all app replicas, workers, cron jobs) exceeds max_connections minus the reserved slots, or connections leak or sit idle in transaction.',
    fix: 'Count connections per application and state (`SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1,2,3`), cap each pool so replicas × pool size < max_connections, end idle-in-transaction sessions, or put PgBouncer in front.',
    related: ['postgres.connections', 'mysql.connections'],
  },
  {
    id: 'connection-refused',
    needles: ['ECONNREFUSED', 'Connection refused', 'connection refused'],
    pattern: '(?:ECONNREFUSED|Error 111 connecting to|[Cc]onnection refused \\(|connection to server at "?)\\s*((?:\\[[^\\]]+\\]|[\\w.-]+)(?::|", port |\\s+port\\s+)\\d+)|(?:Connection|connection) refused',
    severity: 'critical',
    title: 'A dependency refused the connection',
    cause: 'Nothing listens at the host and port the app connects to: the dependency (database, Redis, an internal API) is down, not ready yet, or the app points at the wrong host/port (localhost inside a container instead of the service name).',
    fix: 'Check the dependency is running and listening on that port (`ss -ltnp`, `docker compose ps`), and that the app uses the right host (the compose service name, not 127.0.0.1, inside a container); add retries with backoff at start-up.',
  },
  {
    id: 'connection-timeout',
    needles: ['ETIMEDOUT', 'timed out', 'Timeout connecting', 'ConnectTimeout', 'connect timeout'],
    pattern: 'connect ETIMEDOUT|ETIMEDOUT|Connection timed out|connection timed out|ConnectTimeout(?:Error)?|Timeout connecting to server|connect timeout',
    severity: 'critical',
    title: 'Connections to a dependency time out',
    cause: 'Packets to the dependency get no answer: a firewall or security group drops them, the host is down or overloaded, or the address is wrong.',
    fix: 'Test the path from the app host (`nc -vz host port`), check firewall/security-group rules and the dependency\'s load; set explicit connect timeouts so requests fail fast.',
  },
  {
    id: 'dns-not-found',
    needles: ['ENOTFOUND', 'EAI_AGAIN', 'Name or service not known', 'could not translate host name', 'nodename nor servname', 'Temporary failure in name resolution'],
    pattern: '(?:ENOTFOUND|EAI_AGAIN)\\s+([\\w.-]+)|could not translate host name "([^"]+)"|Name or service not known|nodename nor servname provided|Temporary failure in name resolution',
    severity: 'critical',
    title: 'A dependency host name does not resolve',
    cause: 'DNS cannot resolve the host the app connects to: a typo in the URL, a compose service name used outside the compose network, or a DNS outage.',
    fix: 'Resolve the name from the app host or container (`getent hosts NAME`), fix the host in the configured URL, and use the compose service name only from inside the compose network.',
  },
  {
    id: 'upstream-rate-limited',
    needles: ['429', 'RateLimitError', 'rate_limit_exceeded', 'Rate limit reached', 'Too Many Requests'],
    pattern: 'RateLimitError|rate_limit_exceeded|Rate limit reached|\\b429\\b[^\\n]{0,40}Too Many Requests|Error code: 429|status(?:Code)?[=: ]+429',
    severity: 'warning',
    title: 'An upstream API rate-limits the app (HTTP 429)',
    cause: 'The app sends more requests (or tokens) than the upstream allows for its key or tier.',
    fix: 'Retry with exponential backoff and jitter honouring Retry-After, cap concurrency towards the upstream, cache repeated calls, or raise the quota with the provider.',
    related: ['external.rate-limited'],
  },
  {
    id: 'jwt-expired',
    needles: ['xpired', 'ExpiredSignature'],
    pattern: 'jwt expired|TokenExpiredError|ExpiredSignatureError|Signature has expired|[Tt]oken (?:has )?expired|JWTExpired|"exp" claim timestamp check failed',
    severity: 'warning',
    title: 'Requests carry expired JWTs',
    cause: 'Clients send tokens past their `exp`: the client does not refresh, the token lifetime is too short, or the server clock is ahead.',
    fix: 'Refresh tokens before expiry on the client, check the server clock (chronyc tracking), allow a small clock tolerance; decode one token with `medic jwt <token>`.',
    related: ['auth.jwt-expired'],
  },
  {
    id: 'jwt-invalid-signature',
    needles: ['invalid signature', 'JsonWebTokenError', 'InvalidSignatureError', 'Signature verification failed', 'signature verification failed'],
    pattern: 'invalid signature|JsonWebTokenError|InvalidSignatureError|[Ss]ignature verification failed',
    severity: 'critical',
    title: 'JWT signatures do not verify',
    cause: 'Tokens were signed with another key than the one the server verifies with (a rotated or per-environment secret, HS256 vs RS256 mix-up).',
    fix: 'Make issuer and verifier use the same secret or key pair and algorithm; check which key signed a failing token with `medic jwt <token>`.',
    related: ['auth.jwt-invalid-signature'],
  },
  {
    id: 'missing-greenlet',
    needles: ['MissingGreenlet', 'greenlet_spawn has not been called'],
    pattern: 'MissingGreenlet|greenlet_spawn has not been called',
    severity: 'critical',
    title: 'SQLAlchemy async: lazy load outside the async context (MissingGreenlet)',
    cause: 'Code touched a relationship or expired attribute of an ORM object that SQLAlchemy must load with I/O, which async sessions cannot do implicitly (often after commit, or when serialising a response).',
    fix: 'Load relationships eagerly in the query (`selectinload(Model.rel)` / `joinedload`), set `expire_on_commit=False` on the async sessionmaker, or `await session.refresh(obj, ["rel"])` before use.',
  },
  {
    id: 'utcnow-deprecated',
    needles: ['utcnow'],
    pattern: 'datetime(?:\\.datetime)?\\.utcnow\\(\\) is deprecated|utcnow\\(\\) is deprecated|DeprecationWarning[^\\n]*utcnow',
    severity: 'info',
    title: 'datetime.utcnow() is deprecated (Python 3.12+)',
    cause: 'Code calls datetime.utcnow(), which returns a naive datetime and is deprecated since Python 3.12; mixing naive and aware datetimes breaks comparisons and token expiry checks.',
    fix: 'Replace `datetime.utcnow()` with `datetime.now(timezone.utc)` (and `utcfromtimestamp(x)` with `fromtimestamp(x, timezone.utc)`).',
  },
  {
    id: 'out-of-memory',
    needles: ['MemoryError', 'OutOfMemoryError', 'heap out of memory', 'Out of memory', 'OOMKilled', 'Cannot allocate memory', 'out of memory'],
    pattern: '\\bMemoryError\\b|OutOfMemoryError|JavaScript heap out of memory|Out of memory: Killed process|OOMKilled|Cannot allocate memory|\\bout of memory\\b',
    severity: 'critical',
    title: 'The process ran out of memory',
    cause: 'The process needed more memory than its limit (container limit, --max-old-space-size, -Xmx, host RAM): a leak, an unbounded cache or result set, or a limit set too low.',
    fix: 'Find what grows (heap snapshot, tracemalloc, RSS over time), stream or paginate large results, bound caches; raise the limit only once growth is understood.',
    related: ['process.memory-growth', 'system.memory-high'],
  },
  {
    id: 'redis-oom',
    needles: ['OOM command not allowed'],
    pattern: "OOM command not allowed when used memory > 'maxmemory'",
    severity: 'critical',
    title: 'Redis refuses writes: maxmemory reached',
    cause: 'Redis reached maxmemory and its eviction policy (noeviction, or volatile-* with no keys carrying a TTL) lets it evict nothing, so every write fails.',
    fix: 'Check `redis-cli INFO memory` and `CONFIG GET maxmemory-policy`; set TTLs on cache keys, use allkeys-lru for a cache, or raise maxmemory.',
    related: ['redis.memory'],
  },
  {
    id: 'redis-misconf',
    needles: ['MISCONF'],
    pattern: 'MISCONF Redis is configured to save RDB snapshots',
    severity: 'critical',
    title: 'Redis refuses writes: the last RDB snapshot failed (MISCONF)',
    cause: 'Redis could not write its snapshot (disk full, permissions on the dir, fork failed for lack of memory) and stop-writes-on-bgsave-error blocks writes.',
    fix: 'Read the reason in the Redis log and `redis-cli INFO persistence` (rdb_last_bgsave_status), free disk or fix the dir permissions, then `redis-cli BGSAVE`.',
    related: ['redis.persistence'],
  },
  {
    id: 'deadlock',
    needles: ['deadlock detected', 'Deadlock found'],
    pattern: 'deadlock detected|Deadlock found when trying to get lock',
    severity: 'warning',
    title: 'Database deadlocks',
    cause: 'Two transactions lock the same rows in opposite orders; the database kills one of them.',
    fix: 'Lock rows in a consistent order (sort ids before updating), keep transactions short, and retry the transaction that lost; the server log shows both statements.',
    related: ['postgres.locks'],
  },
  {
    id: 'db-auth-failed',
    needles: ['password authentication failed', 'Access denied for user'],
    pattern: 'password authentication failed for user "?([\\w.-]+)|Access denied for user \'([^\']+)\'',
    severity: 'critical',
    title: 'The database rejects the app\'s credentials',
    cause: 'The user or password in the app\'s database URL does not match the server (rotated password, wrong environment file, user missing on this server).',
    fix: 'Compare the credentials the app uses with the server (`psql "$DATABASE_URL" -c "select 1"`); update the secret or the user, then restart the app.',
  },
]
