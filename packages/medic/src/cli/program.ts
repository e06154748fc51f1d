/**
 * medic's command line as data: every command with its arguments, options and help text, built
 * eagerly (help, suggestions and option errors need them all), each command's implementation
 * (commands/<verb>.ts, exporting `run`) imported only when that command runs. This module must stay
 * light: whatever it imports is loaded by every command, even `--version`.
 */
import { Command, Option } from 'commander'
import { FORMAT_NAMES } from '../logs/detect.js'
import { FORMATS } from '../report/formats.js'
import type { CliIO } from './io.js'

export const VERSION = '0.1.0'

/** What a command's `run` gets before commander's arguments. */
export interface RunContext {
  io: CliIO
  setExit: (code: number) => void
}

type Run = (ctx: RunContext, ...args: never[]) => unknown

/** An action that imports the command's module on first use (a chunk of its own in the bundle). */
function lazy(ctx: RunContext, load: () => Promise<{ run: Run }>) {
  return async (...args: unknown[]) => {
    const { run } = await load()
    await (run as (ctx: RunContext, ...args: unknown[]) => unknown)(ctx, ...args)
  }
}

const collect = (v: string, prev: string[]) => [...prev, v]

/** The options every reporting command takes (README "Common options"). */
function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'medic.yaml to use (default: ./medic.yaml, else discovery)')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('--json', 'same as --format json')
    .option('-t, --timeout <duration>', 'deadline per check, e.g. 5s, 800ms (default 5s or timeoutMs in the config)')
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code non-zero').choices(['warning', 'critical']).default('warning'))
    .option('--exit-zero', 'exit 0 whatever is found (bad arguments still exit 3)')
    .option('--no-color', 'no colour even on a terminal (NO_COLOR is honoured too)')
    .option('-v, --verbose', 'show timings and every check')
    .option('-w, --window <duration>', 'how long checks that watch counters rise (deadlocks, evictions, 5xx, CPU...) observe: 0 for a snapshot, default 500ms')
}

/** The options `medic logs` and `medic trace` share: where lines come from, which, and how to print. */
function addLogReadingOptions(cmd: Command): Command {
  return cmd
    .option('--command <cmd>', 'read a command\'s output, e.g. "docker logs api --since 10m" (repeatable)', collect, [])
    .option('--since <when>', 'only events after this (10m, 2h, or an ISO time)')
    .option('--until <when>', 'only events before this')
    .option('--json', 'one JSON document (same as --format json)')
    .option('--format <fmt>', 'output: text or json', 'text')
    .option('--input-format <fmt>', `record format instead of detecting it: ${FORMAT_NAMES.join(', ')}`)
    .option('--no-color', 'no colour')
    .option('--no-progress', 'no progress bar on stderr')
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const ctx: RunContext = { io, setExit }
  const program = new Command('medic')
    .description('Finds out why a backend is failing: read-only checks, runbooks, logs and reports.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s),
    })

  // commands, in the order of `medic --help`
  addCommonOptions(
    program
      .command('diagnose', { isDefault: true })
      .description('run every check on every target; with a symptom (500, 401, 403, 503, slow, startup, errors, memory, search) rank its likely causes')
      .argument('[symptom]', 'what users see: 500, 401, 403, 503, slow, startup, errors, memory, search')
      .option('--token <jwt>', 'the token (or "Bearer …" header value) of a failing request, for 401/403: checked like `medic jwt` against auth.jwt'),
  ).action(lazy(ctx, () => import('./commands/diagnose.js')))

  addCommonOptions(
    program
      .command('check')
      .description('run only the named checks: a family (postgres), a check id (redis.latency), a finding id or a target id')
      .argument('<selector...>', 'families, check ids, finding ids or target ids'),
  ).action(lazy(ctx, () => import('./commands/check.js')))

  program
    .command('list')
    .description('list checks, finding ids and runbooks')
    .option('--json', 'machine-readable')
    .option('-c, --config <file>', "medic.yaml whose `runbooks:` folder adds the team's own (default: ./medic.yaml if present)")
    .action(lazy(ctx, () => import('./commands/list.js')))

  program
    .command('init')
    .description('write medic.yaml from the environment, .env, a compose file and the local ports')
    .option('-o, --output <file>', 'where to write', 'medic.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--stdout', 'print instead of writing')
    .action(lazy(ctx, () => import('./commands/init.js')))

  program
    .command('jwt')
    .description('decode a JWT (or check an API key) and say exactly why the API answers 401/403; tokens from the argument or stdin, one per line')
    .argument('[token]', 'the token, "Bearer <token>" or "Authorization: Bearer <token>"; "-" or none with piped stdin reads one per line')
    .option('-c, --config <file>', 'medic.yaml whose auth.jwt / auth.apiKey / auth.routes to use (default: ./medic.yaml)')
    .option('--secret <secret>', 'HMAC secret to verify HS256/384/512 tokens')
    .option('--public-key <file>', 'PEM public key, certificate or JWK file to verify RS/PS/ES/EdDSA tokens')
    .option('--jwks <url>', 'JWKS URL to verify against (the kid picks the key)')
    .option('--alg <alg>', 'algorithm(s) the API accepts (repeatable or comma-separated)', collect, [])
    .option('--iss <issuer>', 'expected issuer')
    .option('--aud <audience>', 'expected audience (repeatable: any of them)', collect, [])
    .option('--clock-tolerance <seconds>', 'clock skew allowed for exp/nbf/iat, in seconds')
    .option('--need <permission>', 'a role, scope or permission the request needs (repeatable; wildcards such as admin:* in grants)', collect, [])
    .option('--route <route>', 'check the permissions auth.routes requires for this route ("DELETE /admin/users"; repeatable)', collect, [])
    .option('--api-key', 'check API keys instead of JWTs (argument, stdin lines or header lines; default: auth.apiKey)')
    .option('--pattern <regex>', 'with --api-key: regular expression the key must match (e.g. "^sk_(live|test)_[A-Za-z0-9]{24,}$")')
    .option('--json', 'one JSON document (schemaVersion 1) with one entry per token')
    .option('-t, --timeout <duration>', 'deadline for the JWKS fetch and the subject query (default 5s)')
    .option('--no-color', 'no colour even on a terminal (NO_COLOR is honoured too)')
    .action(lazy(ctx, () => import('./commands/jwt.js')))

  addLogReadingOptions(
    program
      .command('logs')
      .description('error groups, counts, rates, known errors and a timeline from log files, stdin or a command')
      .argument('[sources...]', 'files or globs (rotated and .gz included); - for stdin'),
  )
    .option('--level <level>', 'lowest level to group and show (default warn)')
    .option('--service <name>', 'only events of this service')
    .option('--group <id>', 'show one group in detail')
    .option('--top <n>', 'groups to show (default 10; 100 with --json)')
    .option('--follow', 'keep reading appended lines; print warnings and errors as they come (Ctrl-C for the summary)')
    .option('--emit <what>', 'records: every event as one JSON line with its group id, in input order')
    .option('--window <dur>', 'recent window the findings judge (default 15m)')
    .option('--config <file>', 'medic.yaml to read logs: sources and deploys from')
    .option('--timeout <dur>', 'stop reading --command sources after this long and analyse what they wrote (default 10s; none with --follow; 0 = no limit)')
    .option('--jobs <n>', 'threads for one big file (default: the machine\'s cores; 1 = one pass)')
    .action(lazy(ctx, () => import('./commands/logs.js')))

  addLogReadingOptions(
    program
      .command('trace')
      .description("one request's path across services by its request, correlation or trace id")
      .argument('<id>', 'request id, correlation id, trace id or traceparent')
      .argument('[sources...]', 'files or globs; - for stdin (default: logs: in medic.yaml)'),
  )
    .option('--gap <dur>', 'mark pauses at least this long (default: 1s or 5× the median step)')
    .option('--config <file>', 'medic.yaml to read logs: sources from')
    .option('--timeout <dur>', 'stop reading --command sources after this long and use what they wrote (default 10s; 0 = no limit)')
    .action(lazy(ctx, () => import('./commands/trace.js')))

  addCommonOptions(
    program
      .command('metrics')
      .description('scrape /metrics URLs (Prometheus text or OpenMetrics) and apply the metrics checks: p95 latency, 5xx rate, pool usage, dependency errors')
      .argument('<url...>', 'metrics URLs, or Prometheus base URLs with --prometheus')
      .option('--prometheus', 'the URLs are Prometheus-compatible query APIs (Prometheus, Thanos, Mimir, VictoriaMetrics)')
      .option('--job <name>', 'with --prometheus: only series of this job'),
  ).action(lazy(ctx, () => import('./commands/metrics.js')))

  return program
}
