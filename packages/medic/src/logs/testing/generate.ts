/**
 * A labelled log generator: realistic app logs (Python logging with tracebacks, pino-style JSON with
 * err.stack, logfmt, access lines) where every event carries its ground-truth group. Used by the
 * tests (grouping accuracy, counts) and by bench/logs.mjs (1M-line inputs). Deterministic per seed.
 */

export type GenFormat = 'plain' | 'json' | 'logfmt'

export interface GenOptions {
  format: GenFormat
  /** Number of events (a traceback event spans several lines). */
  events: number
  seed?: number
  /** Epoch ms of the first event; events are ~`stepMs` apart. */
  start?: number
  stepMs?: number
  /** Share of events that are errors/warnings (default ~5 %). */
  errorShare?: number
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    // xorshift32
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
}

interface Ctx {
  r: () => number
  int: (a: number, b: number) => number
  pick: <T>(xs: T[]) => T
  hex: (n: number) => string
  uuid: () => string
  ip: () => string
}

interface Template {
  label: string
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL'
  logger: string
  msg: (c: Ctx) => string
  /** Python traceback lines (after the message); the JSON form puts a Node-style stack in err.stack. */
  traceback?: (c: Ctx) => string[]
  stack?: (c: Ctx) => string[]
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']
const PATHS = ['/api/users', '/api/orders', '/api/search', '/api/documents', '/health']

const py = (file: string, line: number, fn: string, code: string) => [`  File "${file}", line ${line}, in ${fn}`, `    ${code}`]

export const TEMPLATES: Template[] = [
  { label: 'http-ok', level: 'INFO', logger: 'uvicorn.access', msg: (c) => `${c.ip()}:${c.int(30000, 65000)} - "GET ${c.pick(PATHS)}/${c.int(1, 99999)} HTTP/1.1" 200` },
  { label: 'http-created', level: 'INFO', logger: 'uvicorn.access', msg: (c) => `${c.ip()}:${c.int(30000, 65000)} - "POST /api/orders HTTP/1.1" 201` },
  { label: 'request-done', level: 'INFO', logger: 'app.middleware', msg: (c) => `request completed method=GET path=/api/users/${c.int(1, 9999)} status=200 duration_ms=${c.int(1, 900)}` },
  { label: 'db-query', level: 'DEBUG', logger: 'app.db', msg: (c) => `query executed in ${c.int(1, 50)}.${c.int(0, 9)}ms rows=${c.int(0, 500)}` },
  { label: 'cache-hit', level: 'INFO', logger: 'app.cache', msg: (c) => `cache hit for key user:${c.int(1, 99999)}:profile` },
  { label: 'cache-miss', level: 'INFO', logger: 'app.cache', msg: (c) => `cache miss for key session:${c.hex(16)}` },
  { label: 'login-ok', level: 'INFO', logger: 'app.auth', msg: (c) => `user ${c.pick(USERS)} logged in from ${c.ip()}` },
  { label: 'logout', level: 'INFO', logger: 'app.auth', msg: (c) => `user ${c.pick(USERS)} logged out after ${c.int(1, 3600)}s` },
  { label: 'job-done', level: 'INFO', logger: 'app.worker', msg: (c) => `job ${c.uuid()} finished in ${c.int(10, 9000)}ms` },
  { label: 'job-start', level: 'INFO', logger: 'app.worker', msg: (c) => `job ${c.uuid()} started for tenant ${c.int(1, 300)}` },
  { label: 'email-sent', level: 'INFO', logger: 'app.mail', msg: (c) => `sent welcome email to ${c.pick(USERS)}${c.int(1, 99)}@example.com` },
  { label: 'upload', level: 'INFO', logger: 'app.files', msg: (c) => `stored upload ${c.hex(8)}.pdf size=${c.int(1000, 9000000)} bytes` },
  { label: 'search', level: 'INFO', logger: 'app.search', msg: (c) => `vector search returned ${c.int(0, 50)} hits in ${c.int(2, 400)}ms for collection medical_docs` },
  { label: 'slow-query', level: 'WARNING', logger: 'app.db', msg: (c) => `slow query took ${c.int(1000, 9000)}ms: SELECT * FROM orders WHERE user_id = ${c.int(1, 9999)}` },
  { label: 'retry', level: 'WARNING', logger: 'app.http', msg: (c) => `retrying request to https://api.openai.com/v1/embeddings attempt ${c.int(1, 5)} of 5` },
  { label: 'rate-limited', level: 'WARNING', logger: 'httpx', msg: () => `HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"` },
  { label: 'utcnow', level: 'WARNING', logger: 'py.warnings', msg: (c) => `/app/app/core/security.py:${c.int(10, 99)}: DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version.` },
  { label: 'redis-refused', level: 'ERROR', logger: 'app.cache', msg: () => `Error 111 connecting to 127.0.0.1:6379. Connection refused.` },
  { label: 'pg-slots', level: 'ERROR', logger: 'app.db', msg: () => `connection failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections` },
  { label: 'redis-oom', level: 'ERROR', logger: 'app.cache', msg: (c) => `cache write failed for key doc:${c.int(1, 9999)}: OOM command not allowed when used memory > 'maxmemory'.` },
  { label: 'payment-declined', level: 'ERROR', logger: 'app.billing', msg: (c) => `payment ${c.uuid()} declined for user ${c.int(1, 9999)}: card_declined` },
  {
    label: 'exc-queuepool',
    level: 'ERROR',
    logger: 'app.api',
    msg: (c) => `Exception on request ${c.hex(8)}`,
    traceback: (c) => [
      'Traceback (most recent call last):',
      ...py('/app/app/api/orders.py', c.int(20, 90), 'list_orders', 'rows = await repo.list(user_id)'),
      ...py('/app/app/repositories/orders.py', c.int(10, 40), 'list', 'async with self.session() as s:'),
      ...py('/usr/local/lib/python3.12/site-packages/sqlalchemy/pool/impl.py', 157, '_do_get', 'raise exc.TimeoutError('),
      `sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout ${c.int(10, 30)}.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)`,
    ],
  },
  {
    label: 'exc-keyerror',
    level: 'ERROR',
    logger: 'app.api',
    msg: (c) => `Unhandled error for user ${c.int(1, 9999)}`,
    traceback: (c) => [
      'Traceback (most recent call last):',
      ...py('/usr/local/lib/python3.12/site-packages/starlette/routing.py', 74, 'app', 'response = await func(request)'),
      ...py('/app/app/api/users.py', c.int(30, 60), 'get_user', 'return serialize(user)'),
      ...py('/app/app/serializers.py', c.int(5, 25), 'serialize', 'return {"email": data["email"]}'),
      `KeyError: '${c.pick(['email', 'name', 'phone'])}'`,
    ],
  },
  {
    label: 'exc-greenlet',
    level: 'ERROR',
    logger: 'app.api',
    msg: () => `Exception in ASGI application`,
    traceback: (c) => [
      'Traceback (most recent call last):',
      ...py('/app/app/api/documents.py', c.int(40, 70), 'get_document', 'return DocumentOut.from_orm(doc)'),
      ...py('/usr/local/lib/python3.12/site-packages/sqlalchemy/orm/attributes.py', 566, '__get__', 'return self.impl.get(state, dict_)'),
      `sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (id ${c.int(1, 999)})`,
    ],
  },
  {
    label: 'exc-chained',
    level: 'ERROR',
    logger: 'app.worker',
    msg: (c) => `task ${c.uuid()} failed`,
    traceback: (c) => [
      'Traceback (most recent call last):',
      ...py('/app/app/worker/tasks.py', c.int(10, 30), 'sync_account', 'resp = client.fetch(account_id)'),
      ...py('/app/app/clients/bank.py', c.int(40, 80), 'fetch', 'return self._get(f"/accounts/{account_id}")'),
      `ConnectionError: upstream returned 503 for account ${c.int(1, 99999)}`,
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      ...py('/app/app/worker/tasks.py', c.int(31, 40), 'sync_account', 'raise SyncFailed(account_id) from None'),
      `app.worker.errors.SyncFailed: account ${c.int(1, 99999)} could not be synced`,
    ],
  },
  {
    label: 'exc-valueerror',
    level: 'ERROR',
    logger: 'app.billing',
    msg: (c) => `invoice ${c.int(1000, 99999)} failed`,
    traceback: (c) => [
      'Traceback (most recent call last):',
      ...py('/app/app/billing/invoices.py', c.int(100, 140), 'render_invoice', 'total = compute_total(items)'),
      ...py('/app/app/billing/money.py', c.int(10, 30), 'compute_total', 'raise ValueError(f"negative amount {amount}")'),
      `ValueError: negative amount -${c.int(1, 999)}.${c.int(10, 99)}`,
    ],
  },
]

/** Relative weights: mostly info, a few warnings and errors. */
function weights(errorShare: number): number[] {
  let infoN = 0
  for (const t of TEMPLATES) if (t.level === 'INFO' || t.level === 'DEBUG') infoN++
  const badN = TEMPLATES.length - infoN
  return TEMPLATES.map((t) => (t.level === 'INFO' || t.level === 'DEBUG' ? (1 - errorShare) / infoN : errorShare / badN))
}

const NODE_STACKS: Record<string, (c: Ctx) => string[]> = {
  'exc-queuepool': (c) => ['Error: timeout exceeded when trying to connect', `    at /app/node_modules/pg-pool/index.js:45:11`, `    at async OrderRepo.list (/app/src/repositories/orders.js:${c.int(10, 40)}:18)`, `    at async listOrders (/app/src/api/orders.js:${c.int(20, 90)}:5)`],
  'exc-keyerror': (c) => [`TypeError: Cannot read properties of undefined (reading '${c.pick(['email', 'name', 'phone'])}')`, `    at serialize (/app/src/serializers.js:${c.int(5, 25)}:30)`, `    at getUser (/app/src/api/users.js:${c.int(30, 60)}:10)`, '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)'],
  'exc-greenlet': (c) => [`Error: connect ECONNREFUSED 127.0.0.1:${6379}`, '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)', `    at RedisCache.get (/app/src/cache/redis.js:${c.int(10, 30)}:7)`],
  'exc-chained': (c) => [`SyncFailed: account ${c.int(1, 99999)} could not be synced`, `    at syncAccount (/app/src/worker/tasks.js:${c.int(10, 40)}:11)`, `    at Worker.run (/app/src/worker/index.js:${c.int(5, 20)}:3)`],
  'exc-valueerror': (c) => [`RangeError: negative amount -${c.int(1, 999)}`, `    at computeTotal (/app/src/billing/money.js:${c.int(10, 30)}:11)`, `    at renderInvoice (/app/src/billing/invoices.js:${c.int(100, 140)}:17)`],
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/** Python logging's default asctime: `2026-11-22 02:00:00,123` (UTC here). */
function asctime(ms: number): string {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`
}

const PINO_LEVEL: Record<Template['level'], number> = { DEBUG: 20, INFO: 30, WARNING: 40, ERROR: 50, CRITICAL: 60 }

/**
 * Generate events; `write` receives text chunks, `label` (optional) each event's truth label in
 * order. Returns the number of lines written.
 */
export function generate(o: GenOptions, write: (text: string) => void, label?: (l: string) => void): number {
  const r = rng(o.seed ?? 42)
  const c: Ctx = {
    r,
    int: (a, b) => a + Math.floor(r() * (b - a + 1)),
    pick: (xs) => xs[Math.floor(r() * xs.length)],
    hex: (n) => {
      let s = ''
      for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)]
      return s
    },
    uuid: () => `${c.hex(8)}-${c.hex(4)}-4${c.hex(3)}-a${c.hex(3)}-${c.hex(12)}`,
    ip: () => `10.${c.int(0, 255)}.${c.int(0, 255)}.${c.int(1, 254)}`,
  }
  const w = weights(o.errorShare ?? 0.05)
  const cum: number[] = []
  let acc = 0
  for (const x of w) cum.push((acc += x))
  let t = o.start ?? Date.UTC(2026, 10, 22, 1, 0, 0)
  const step = o.stepMs ?? 50
  let lines = 0
  let buf = ''
  for (let i = 0; i < o.events; i++) {
    const x = r() * cum[cum.length - 1]
    let k = 0
    while (cum[k] < x) k++
    const tpl = TEMPLATES[k]
    t += Math.floor(r() * step * 2)
    const rid = c.hex(16)
    const msg = tpl.msg(c)
    if (o.format === 'plain') {
      buf += `${asctime(t)} ${tpl.level} ${tpl.logger}: ${msg} [request_id=${rid}]\n`
      lines++
      if (tpl.traceback) {
        const tb = tpl.traceback(c)
        buf += tb.join('\n') + '\n'
        lines += tb.length
      }
    } else if (o.format === 'json') {
      const rec: Record<string, unknown> = { level: PINO_LEVEL[tpl.level], time: t, pid: 7, hostname: 'api-1', name: 'api', reqId: rid, msg }
      if (tpl.traceback) {
        const st = NODE_STACKS[tpl.label](c)
        rec.err = { type: st[0].split(':')[0], message: st[0].slice(st[0].indexOf(':') + 2), stack: st.join('\n') }
      }
      buf += JSON.stringify(rec) + '\n'
      lines++
    } else {
      const q = (s: string) => (/[\s"=]/.test(s) ? JSON.stringify(s) : s)
      buf += `time=${new Date(t).toISOString()} level=${tpl.level.toLowerCase()} logger=${tpl.logger} msg=${q(msg)} request_id=${rid}\n`
      lines++
    }
    label?.(tpl.label)
    if (buf.length > 1 << 20) {
      write(buf)
      buf = ''
    }
  }
  if (buf) write(buf)
  return lines
}

/**
 * Grouping accuracy (Loghub's GA): the share of events whose predicted group holds exactly the
 * events of their true group.
 */
export function groupingAccuracy(predicted: string[], truth: string[]): number {
  if (predicted.length !== truth.length) throw new Error(`predicted ${predicted.length} events, truth has ${truth.length}`)
  const byPred = new Map<string, number[]>()
  const byTruth = new Map<string, number[]>()
  predicted.forEach((p, i) => (byPred.get(p) ?? byPred.set(p, []).get(p)!).push(i))
  truth.forEach((t, i) => (byTruth.get(t) ?? byTruth.set(t, []).get(t)!).push(i))
  let correct = 0
  for (const idx of byPred.values()) {
    const t = truth[idx[0]]
    const tIdx = byTruth.get(t)!
    if (tIdx.length === idx.length && idx.every((i) => truth[i] === t)) correct += idx.length
  }
  return predicted.length === 0 ? 1 : correct / predicted.length
}

/**
 * A second labelled corpus in the style of system logs (HDFS, Hadoop/Spark, Zookeeper, OpenSSH,
 * Linux syslog): headers with pids, components and hosts, and the hard cases for template mining —
 * word variables with few values, templates that differ by one constant word, variables in the
 * first tokens. The templates are our own; every line is one event.
 */
export function generateSystem(events: number, seed: number, write: (text: string) => void, label?: (l: string) => void): number {
  const r = rng(seed)
  const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1))
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]
  const ip = () => `${int(10, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`
  const blk = () => `blk_${r() < 0.5 ? '-' : ''}${int(1e9, 9e9)}${int(1e8, 9e8)}`
  const users = ['root', 'admin', 'oracle', 'test', 'guest', 'postgres', 'ubuntu', 'support', 'webmaster', 'ftpuser']
  const hosts = ['node-a', 'node-b', 'node-c']
  const states = ['LOOKING', 'FOLLOWING', 'LEADING']
  const T: [string, () => string][] = [
    ['hdfs-receiving', () => `INFO dfs.DataNode$DataXceiver: Receiving block ${blk()} src: /${ip()}:${int(30000, 60000)} dest: /${ip()}:50010`],
    ['hdfs-received', () => `INFO dfs.DataNode$PacketResponder: Received block ${blk()} of size ${int(1000, 67108864)} from /${ip()}`],
    ['hdfs-terminating', () => `INFO dfs.DataNode$PacketResponder: PacketResponder ${int(0, 2)} for block ${blk()} terminating`],
    ['hdfs-allocate', () => `INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: /user/root/rand/_temporary/_task_${int(1e5, 9e5)}_m_${int(1000, 9999)}/part-${int(10000, 99999)}. ${blk()}`],
    ['hdfs-delete', () => `INFO dfs.FSDataset: Deleting block ${blk()} file /mnt/hadoop/dfs/data/current/subdir${int(1, 60)}/${blk()}`],
    ['hdfs-exception', () => `WARN dfs.DataNode$DataXceiver: ${ip()}:50010:Got exception while serving ${blk()} to /${ip()}:`],
    ['spark-stored', () => `INFO storage.MemoryStore: Block broadcast_${int(1, 99)} stored as values in memory (estimated size ${int(1, 900)}.${int(0, 9)} KB, free ${int(100, 999)}.${int(0, 9)} MB)`],
    ['spark-task', () => `INFO executor.Executor: Finished task ${int(0, 99)}.0 in stage ${int(0, 30)}.0 (TID ${int(1, 9999)}). ${int(1000, 3000)} bytes result sent to driver`],
    ['spark-fetch', () => `INFO spark.MapOutputTrackerWorker: Don't have map outputs for shuffle ${int(0, 9)}, fetching them`],
    ['zk-state', () => `INFO  [QuorumPeer[myid=${int(1, 3)}]/0:0:0:0:0:0:0:0:2181:QuorumPeer@${int(600, 800)}] - ${pick(states)}`],
    ['zk-connection', () => `WARN  [SendWorker:${int(1, 3)}:QuorumCnxManager$SendWorker@${int(600, 700)}] - Interrupted while waiting for message on queue`],
    ['zk-accepted', () => `INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxnFactory@197] - Accepted socket connection from /${ip()}:${int(30000, 60000)}`],
    ['zk-closed', () => `INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@1001] - Closed socket connection for client /${ip()}:${int(30000, 60000)} which had sessionid 0x${int(1e9, 9e9).toString(16)}`],
    ['ssh-invalid', () => `sshd[${int(1000, 30000)}]: Invalid user ${pick(users)} from ${ip()}`],
    ['ssh-failed', () => `sshd[${int(1000, 30000)}]: Failed password for ${pick(users)} from ${ip()} port ${int(1024, 65000)} ssh2`],
    ['ssh-accepted', () => `sshd[${int(1000, 30000)}]: Accepted password for ${pick(users)} from ${ip()} port ${int(1024, 65000)} ssh2`],
    ['ssh-failed-invalid', () => `sshd[${int(1000, 30000)}]: Failed password for invalid user ${pick(users)} from ${ip()} port ${int(1024, 65000)} ssh2`],
    ['ssh-disconnect', () => `sshd[${int(1000, 30000)}]: Received disconnect from ${ip()}: 11: Bye Bye [preauth]`],
    ['ssh-reverse', () => `sshd[${int(1000, 30000)}]: reverse mapping checking getaddrinfo for ${pick(['ns', 'mail', 'host'])}.${pick(['example', 'test'])}.com [${ip()}] failed - POSSIBLE BREAK-IN ATTEMPT!`],
    ['pam-opened', () => `su(pam_unix)[${int(1000, 30000)}]: session opened for user ${pick(users)} by (uid=0)`],
    ['pam-closed', () => `su(pam_unix)[${int(1000, 30000)}]: session closed for user ${pick(users)}`],
    ['pam-authfail', () => `sshd(pam_unix)[${int(1000, 30000)}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=${ip()}`],
    ['kernel-link', () => `kernel: ${pick(['eth0', 'eth1'])}: link ${pick(['up', 'down'])}`],
    ['cron-run', () => `CRON[${int(1000, 30000)}]: (${pick(users)}) CMD (run-parts /etc/cron.hourly)`],
    ['sched-start', () => `systemd[1]: Started Session ${int(1, 9999)} of user ${pick(users)}.`],
    ['sched-stop', () => `systemd[1]: Stopped Session ${int(1, 9999)} of user ${pick(users)}.`],
    ['net-state', () => `NetworkManager[${int(400, 900)}]: <info> device (${pick(['wlan0', 'eth0'])}): state change: ${pick(['activated', 'disconnected', 'prepare'])} -> ${pick(['deactivating', 'config', 'need-auth'])}`],
    ['ssh-closed-by', () => `sshd[${int(1000, 30000)}]: Connection for ${pick(users)} on ${pick(['alpha', 'beta', 'gamma', 'delta'])} closed by peer`],
    ['app-flag', () => `app[${int(100, 999)}]: feature ${pick(['search', 'billing', 'export', 'import', 'audit', 'reports'])} enabled=${pick(['true', 'false'])}`],
  ]
  const start = Date.UTC(2026, 10, 22, 0, 0, 0)
  let t = start
  let buf = ''
  for (let i = 0; i < events; i++) {
    const [name, f] = T[Math.floor(r() * T.length)]
    t += int(0, 900)
    const d = new Date(t)
    const host = pick(hosts)
    const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]
    const hdr = name.startsWith('hdfs') || name.startsWith('spark') || name.startsWith('zk')
      ? `${d.toISOString().replace('T', ' ').replace('.', ',').replace('Z', '')} `
      : `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} ${host} `
    buf += hdr + f() + '\n'
    label?.(name)
    if (buf.length > 1 << 20) {
      write(buf)
      buf = ''
    }
  }
  if (buf) write(buf)
  return events
}
