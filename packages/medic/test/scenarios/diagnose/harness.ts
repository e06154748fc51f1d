/**
 * What the `medic diagnose <symptom>` scenarios share: the scenario shape, a small real HTTP API
 * that logs like pino (JSON lines, `err.stack`) to a file, the shared healthy servers, and tokens.
 *
 * A scenario folder holds `scenario.ts` whose default export is a `Scenario` (or, for the healthy
 * stack, a `HealthyScenario`). Its setup creates the real fault and returns medic.yaml as data;
 * the runner (diagnose.test.ts) writes it into the scenario's temp dir and runs the CLI there.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT, type JWTPayload } from 'jose'
import type { Severity } from '../../../src/engine/types.js'
import { startPgCluster, type PgCluster } from '../../helpers/pg-cluster.js'
import { startRedis, type RedisServer } from '../../helpers/redis-server.js'

export interface Setup {
  /** medic.yaml as data (written as YAML into the scenario's dir). */
  config: Record<string, unknown>
  /** The environment the CLI sees (process environment of the app). */
  env?: Record<string, string>
  /** Values that must appear in no output (passwords in DSNs, JWT secrets, keys). */
  secrets: string[]
}

export interface Scenario {
  symptom: string
  /** What is really wrong, in words (for the report and failure messages). */
  fault: string
  expectedTopCause: string
  /** Findings that must be among the top cause's supports, with the severity they must have. */
  expectedFindings: Record<string, Severity>
  /** The timeline's sentence, when the scenario has one ("Errors began …, … after …"). */
  expectedTimeline?: RegExp
  setup(w: World): Promise<Setup>
}

export interface HealthyScenario {
  healthy: true
  symptoms: string[]
  setup(w: World): Promise<Setup>
}

/** Per scenario: its own temp dir, teardown hooks, and the shared healthy servers. */
export interface World {
  dir: string
  /** Run at teardown (`cleanup()`, or afterAll at the latest), in reverse order. */
  onCleanup(fn: () => unknown): void
  /** Tear down what this scenario started (its temp dir included); the shared servers stay. */
  cleanup(): Promise<void>
  /** A healthy PostgreSQL shared by every scenario whose fault is elsewhere (do not break it). */
  pg(): Promise<PgCluster>
  /** A healthy Redis with a password, shared the same way. */
  redis(): Promise<RedisServer>
}

export const REDIS_PASSWORD = 'redis-pw-Hq83Lm2v'

let sharedPg: Promise<PgCluster> | undefined
let sharedRedis: Promise<RedisServer> | undefined
const worlds = new Set<World>()

async function runAll(fns: (() => unknown)[]): Promise<void> {
  for (const fn of fns.splice(0).reverse()) await Promise.resolve().then(fn).catch(() => {})
}

export function world(name: string): World {
  const dir = mkdtempSync(join(tmpdir(), `medic-diag-${name}-`))
  const cleanups: (() => unknown)[] = [() => rmSync(dir, { recursive: true, force: true })]
  const w: World = {
    dir,
    onCleanup: (fn) => void cleanups.push(fn),
    cleanup: async () => {
      worlds.delete(w)
      await runAll(cleanups)
    },
    pg: () =>
      (sharedPg ??= startPgCluster({ maxConnections: 40 }).then(async (c) => {
        // The app's users table (403/401 subject checks read it).
        await c.sql(
          `CREATE TABLE users (id text primary key, is_active boolean NOT NULL);
           INSERT INTO users VALUES ('u-1', true), ('u-7', false);
           ALTER TABLE users OWNER TO app`,
          'app',
        )
        return c
      })),
    redis: () => (sharedRedis ??= startRedis({ password: REDIS_PASSWORD })),
  }
  worlds.add(w)
  return w
}

/** Tear down whatever the scenarios left running, then the shared servers. */
export async function teardownAll(): Promise<void> {
  await Promise.all([...worlds].map((w) => w.cleanup()))
  await Promise.all([sharedPg?.then((c) => c.stop()).catch(() => {}), sharedRedis?.then((r) => r.stop()).catch(() => {})])
}

// ---------------------------------------------------------------------------------------------
// A small app logger (pino's JSON shape) and HTTP API.

export interface AppLog {
  file: string
  info(msg: string, extra?: Record<string, unknown>): void
  warn(msg: string, extra?: Record<string, unknown>): void
  error(msg: string, err?: unknown, extra?: Record<string, unknown>): void
}

export function appLog(file: string): AppLog {
  const write = (level: number, msg: string, extra: Record<string, unknown>) =>
    appendFileSync(file, JSON.stringify({ level, time: Date.now(), pid: process.pid, hostname: 'api-1', name: 'api', msg, ...extra }) + '\n')
  return {
    file,
    info: (msg, extra = {}) => write(30, msg, extra),
    warn: (msg, extra = {}) => write(40, msg, extra),
    error: (msg, err, extra = {}) => {
      const e = err instanceof Error ? { err: { type: err.name, message: err.message, stack: err.stack } } : {}
      write(50, msg, { ...e, ...extra })
    },
  }
}

/**
 * Lines an app wrote before this run, `minutesAgo` back to 1 minute ago: 6 ordinary requests a
 * minute (so a later error group is "new" and the logs have a history).
 */
export function seedHistory(file: string, minutesAgo: number, extra: (minute: number, at: number) => object[] = () => []): void {
  const now = Date.now()
  const lines: string[] = []
  for (let m = minutesAgo; m >= 1; m--) {
    const base = now - m * 60_000
    for (let s = 0; s < 60; s += 10) lines.push(JSON.stringify({ level: 30, time: base + s * 1000, pid: 4242, hostname: 'api-1', name: 'api', msg: `GET /api/items 200 ${12 + (s % 7)}ms` }))
    for (const e of extra(m, base)) lines.push(JSON.stringify(e))
  }
  writeFileSync(file, lines.join('\n') + '\n')
}

/** An error a handler throws to answer with this status (the API logs it with its stack). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause })
  }
}

export type Handler = (req: IncomingMessage) => Promise<{ status?: number; body: unknown } | unknown>

export interface Api {
  url: string
  port: number
  log: AppLog
  /** Send `n` requests to `path` (sequentially) and return the status codes. */
  hit(path: string, n: number, headers?: Record<string, string>, method?: string): Promise<number[]>
  close(): Promise<void>
}

/**
 * A real HTTP API: each route is a handler; an exception becomes the status of an HttpError (else
 * 500) and is logged with its stack, as an Express/pino app does. Every request gets an access line.
 */
export async function startApi(log: AppLog, routes: Record<string, Handler>): Promise<Api> {
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now()
    const key = `${req.method} ${(req.url ?? '/').split('?')[0]}`
    const handler = routes[key] ?? routes[(req.url ?? '/').split('?')[0]]
    let status = 200
    let body: unknown
    try {
      if (!handler) throw new HttpError(404, `no route ${key}`)
      const out = (await handler(req)) as { status?: number; body?: unknown } | undefined
      if (out && typeof out === 'object' && 'body' in out) {
        status = out.status ?? 200
        body = out.body
      } else body = out ?? { ok: true }
    } catch (err) {
      status = err instanceof HttpError ? err.status : 500
      body = { error: status >= 500 ? 'internal error' : (err as Error).message }
      if (status >= 500) log.error(`${key} failed: ${(err as Error).message}`, (err as HttpError).cause instanceof Error ? (err as HttpError).cause : err, { req: { method: req.method, url: req.url } })
      else log.warn(`${key} refused: ${(err as Error).message}`, { req: { method: req.method, url: req.url } })
    }
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
    log.info(`${req.method} ${req.url} ${status} ${Math.round(performance.now() - t0)}ms`, { res: { statusCode: status } })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}`
  log.info(`Server listening on ${url}`)
  return {
    url,
    port,
    log,
    async hit(path, n, headers = {}, method = 'GET') {
      const codes: number[] = []
      for (let i = 0; i < n; i++) {
        const r = await fetch(url + path, { method, headers })
        await r.arrayBuffer()
        codes.push(r.status)
      }
      return codes
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/** A started API whose close runs at teardown. */
export async function api(w: World, name: string, routes: Record<string, Handler>, history?: (file: string) => void): Promise<Api> {
  const file = join(w.dir, `${name}.log`)
  if (history) history(file)
  const a = await startApi(appLog(file), routes)
  w.onCleanup(() => a.close())
  return a
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** An HS256 token signed with `secret` (a real JWT, jose). `expiresIn` may be negative (seconds). */
export async function hsToken(secret: string, claims: JWTPayload, expiresInSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now - 60)
    .setExpirationTime(now + expiresInSeconds)
    .sign(new TextEncoder().encode(secret))
}

/** The config `logs:` entry for an API's log file. */
export const logsOf = (a: Api) => [{ file: a.log.file }]
