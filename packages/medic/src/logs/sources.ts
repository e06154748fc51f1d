/**
 * Where log bytes come from: files and globs (rotated siblings oldest first, `.gz` decompressed as a
 * stream), stdin, and a command's output (stdout and stderr together, as `docker logs` splits
 * them). `--follow` keeps reading what is appended to files (reopening after truncation/rotation).
 * Each source yields Buffer chunks; a problem (missing file, unreadable, failing command, truncated
 * gzip) is recorded on the source, never thrown.
 */
import type { ChildProcess } from 'node:child_process'
import { createReadStream, promises as fsp, type Stats } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import type { InputProblems, SourceSpec } from './types.js'

export const CHUNK_BYTES = 1 << 20

/** One concrete input after glob expansion. */
export interface ResolvedSource {
  name: string
  kind: 'file' | 'command' | 'stdin'
  path?: string
  command?: string
  /** Where a command runs (the working directory, or medic.yaml's folder for the checks). */
  cwd?: string
  gzip: boolean
  /** Size on disk (compressed size for .gz), for progress. */
  size: number
  format?: string
  service?: string
  /** The pattern matched nothing / the file could not be opened. */
  error?: string
}

const GLOB_CHARS = /[*?[]/

function globToRegExp(seg: string): RegExp {
  let re = '^'
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const j = seg.indexOf(']', i + 1)
      if (j < 0) re += '\\['
      else {
        re += '[' + seg.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'
        i = j
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(re + '$')
}

/** Expand a glob (`*`, `?`, `[...]`, `**`) relative to cwd. Hidden entries only when the pattern names them. */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const abs = isAbsolute(pattern) ? pattern : resolve(cwd, pattern)
  if (!GLOB_CHARS.test(abs)) return [abs]
  const parts = abs.split('/').filter((p, i) => p !== '' || i === 0)
  let bases = ['/']
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i]
    const next: string[] = []
    if (seg === '**') {
      for (const b of bases) next.push(...(await walkDirs(b)))
    } else if (!GLOB_CHARS.test(seg)) {
      for (const b of bases) next.push(join(b, seg))
    } else {
      const re = globToRegExp(seg)
      for (const b of bases) {
        let entries: string[]
        try {
          entries = await fsp.readdir(b)
        } catch {
          continue
        }
        for (const e of entries) if (re.test(e) && (e[0] !== '.' || seg[0] === '.')) next.push(join(b, e))
      }
    }
    bases = next
  }
  const files: string[] = []
  for (const p of bases) {
    try {
      if ((await fsp.stat(p)).isFile()) files.push(p)
    } catch {
      /* vanished */
    }
  }
  return files
}

async function walkDirs(dir: string, depth = 0): Promise<string[]> {
  const out = [dir]
  if (depth > 8) return out
  let entries: import('node:fs').Dirent[]
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true })
  } catch {
    return out
  }
  for (const e of entries) if (e.isDirectory() && e.name[0] !== '.') out.push(...(await walkDirs(join(dir, e.name), depth + 1)))
  return out
}

/**
 * Rotation order, oldest first: `app.log.3.gz`, `app.log.2.gz`, `app.log.1`, `app.log`; date
 * suffixes (`app.log-20261120.gz`) sort by date before the live file.
 */
export function rotationOrder(paths: string[]): string[] {
  const key = (p: string) => {
    const name = basename(p).replace(/\.gz$/, '')
    const num = /^(.*?)\.(\d{1,3})$/.exec(name)
    if (num) return { base: join(dirname(p), num[1]), rank: 1, n: -Number(num[2]), s: '' }
    const date = /^(.*?)[-.](\d{8}(?:\d{2,6})?)$/.exec(name)
    if (date) return { base: join(dirname(p), date[1]), rank: 1, n: 0, s: date[2] }
    return { base: join(dirname(p), name), rank: 2, n: 0, s: '' }
  }
  return paths
    .map((p) => ({ p, k: key(p) }))
    .sort((a, b) => (a.k.base < b.k.base ? -1 : a.k.base > b.k.base ? 1 : a.k.rank - b.k.rank || a.k.n - b.k.n || (a.k.s < b.k.s ? -1 : a.k.s > b.k.s ? 1 : 0)))
    .map((x) => x.p)
}

/** Expand specs into concrete sources (a glob that matches nothing is reported as one missing source). */
export async function resolveSources(specs: SourceSpec[], cwd: string): Promise<ResolvedSource[]> {
  const out: ResolvedSource[] = []
  for (const spec of specs) {
    if (spec.stdin || spec.file === '-') {
      out.push({ name: 'stdin', kind: 'stdin', gzip: false, size: 0, format: spec.format, service: spec.service })
      continue
    }
    if (spec.command) {
      out.push({ name: `$ ${spec.command}`, kind: 'command', command: spec.command, cwd, gzip: false, size: 0, format: spec.format, service: spec.service })
      continue
    }
    const pattern = spec.file ?? ''
    const paths = rotationOrder(await expandGlob(pattern, cwd))
    if (paths.length === 0) {
      out.push({ name: pattern, kind: 'file', path: pattern, gzip: false, size: 0, format: spec.format, service: spec.service, error: 'no file matches this pattern' })
      continue
    }
    for (const path of paths) {
      let st: Stats | undefined
      let error: string | undefined
      try {
        st = await fsp.stat(path)
        if (st.isDirectory()) error = 'is a directory'
      } catch (err) {
        error = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
      }
      out.push({ name: path, kind: 'file', path, gzip: /\.gz$/i.test(path), size: st?.size ?? 0, format: spec.format, service: spec.service, error })
    }
  }
  return out
}

export interface ReadOptions {
  signal?: AbortSignal
  stdin?: Readable
  follow?: boolean
  /** Read only the last N bytes of a plain file (checks keep their deadline on huge files). */
  tailBytes?: number
  /** Bytes of input consumed (compressed bytes for .gz), for progress. */
  onBytes?: (n: number) => void
  pollMs?: number
  /**
   * Epoch ms at which a command source stops being read: a command that never ends on its own
   * (`docker logs -f`, `kubectl logs -f`, `sleep 100`) is stopped there, with its process group,
   * and what it wrote is kept (problems.cutAfterMs says so).
   */
  deadline?: number
  /** Start plain files at their end (`--follow` without `--since`, like `tail -f`); `.gz` files are skipped. */
  fromEnd?: boolean
}

/** The chunks of one source. Problems land in `problems`; the generator itself does not throw. */
export async function* readChunks(src: ResolvedSource, problems: InputProblems, o: ReadOptions = {}): AsyncGenerator<Buffer> {
  if (src.error) {
    problems.error = src.error
    return
  }
  try {
    if (src.kind === 'stdin') {
      if (!o.stdin) throw new Error('no standard input')
      for await (const chunk of o.stdin) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
        o.onBytes?.(b.length)
        yield b
        if (o.signal?.aborted) return
      }
      return
    }
    if (src.kind === 'command') {
      yield* commandChunks(src.command!, src.cwd, problems, o)
      return
    }
    yield* fileChunks(src, problems, o)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message)) problems.truncatedGzip = true
    else if (e.name === 'AbortError') return
    else problems.error = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message
  }
}

async function* fileChunks(src: ResolvedSource, problems: InputProblems, o: ReadOptions): AsyncGenerator<Buffer> {
  const path = src.path!
  let gzip = src.gzip
  if (!gzip) {
    // gzip by content too (rotated files renamed without .gz)
    const fh = await fsp.open(path, 'r')
    try {
      const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0)
      gzip = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
    } finally {
      await fh.close()
    }
  }
  if (gzip) {
    // a compressed file is rotated, never appended to: nothing to follow from its end
    if (o.fromEnd) return
    // loaded here: most runs read no .gz, and the module costs start-up time (before the file
    // flows: a stream with a data listener does not wait)
    const { createGunzip } = await import('node:zlib')
    const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES })
    raw.on('data', (c) => o.onBytes?.(c.length))
    const gunzip = createGunzip({ chunkSize: 256 * 1024 })
    raw.on('error', (e) => gunzip.destroy(e))
    raw.pipe(gunzip)
    for await (const chunk of gunzip) {
      yield chunk as Buffer
      if (o.signal?.aborted) {
        raw.destroy()
        gunzip.destroy()
        return
      }
    }
    return
  }
  let start = 0
  const size = (await fsp.stat(path)).size
  let dropFirstPartial = false
  if (o.fromEnd) start = size
  else if (o.tailBytes && size > o.tailBytes) {
    start = size - o.tailBytes
    dropFirstPartial = true
  }
  let pos = start
  let first = true
  for (;;) {
    const stream = createReadStream(path, { start: pos, highWaterMark: CHUNK_BYTES, signal: o.signal })
    for await (const c of stream) {
      let chunk = c as Buffer
      pos += chunk.length
      o.onBytes?.(chunk.length)
      if (first && dropFirstPartial) {
        const nl = chunk.indexOf(10)
        chunk = nl >= 0 ? chunk.subarray(nl + 1) : Buffer.alloc(0)
      }
      first = false
      yield chunk
    }
    if (!o.follow) return
    // follow: wait for growth; a shrink means truncation or rotation: start again from 0
    for (;;) {
      if (o.signal?.aborted) return
      await new Promise((r) => setTimeout(r, o.pollMs ?? 250))
      let st: Stats
      try {
        st = await fsp.stat(path)
      } catch {
        continue
      }
      if (st.size < pos) {
        pos = 0
        break
      }
      if (st.size > pos) break
    }
  }
}

/**
 * Commands still running, by process group: stopped when medic exits or is interrupted, so no
 * child outlives medic (they run in their own group, out of reach of the terminal's Ctrl-C).
 */
const live = new Set<ChildProcess>()
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const onExit = () => {
  for (const c of live) killGroup(c, 'SIGKILL')
}
const onSignal = (sig: NodeJS.Signals) => {
  for (const c of live) killGroup(c, 'SIGTERM')
  // Nobody else handles this signal (no --follow summary to print): die by it, as without us.
  if (process.listenerCount(sig) === 1) {
    unhook()
    process.kill(process.pid, sig)
  }
}
function hook(): void {
  process.on('exit', onExit)
  for (const sig of SIGNALS) process.on(sig, onSignal)
}
function unhook(): void {
  process.off('exit', onExit)
  for (const sig of SIGNALS) process.off(sig, onSignal)
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (!child.pid) return
  try {
    process.kill(-child.pid, sig)
  } catch {
    /* the group is gone */
  }
}

function groupAlive(child: ChildProcess): boolean {
  if (!child.pid) return false
  try {
    process.kill(-child.pid, 0)
    return true
  } catch {
    return false
  }
}

async function* commandChunks(command: string, cwd: string | undefined, problems: InputProblems, o: ReadOptions): AsyncGenerator<Buffer> {
  const started = Date.now()
  if (o.deadline !== undefined && o.deadline <= started) {
    problems.cutAfterMs = 0
    return
  }
  // stderr joined to stdout in the shell so lines stay whole (docker logs writes both). Its own
  // process group, so the shell, the command and whatever it starts are stopped together.
  const { spawn } = await import('node:child_process')
  const child = spawn('/bin/sh', ['-c', `exec 2>&1\n${command}`], { cwd, stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  if (live.size === 0) hook()
  live.add(child)
  let stopped = false
  const stop = () => {
    stopped = true
    killGroup(child, 'SIGTERM')
    // a grandchild that left the group may still hold the pipe: stop reading it anyway
    child.stdout?.destroy()
  }
  o.signal?.addEventListener('abort', stop, { once: true })
  const timer =
    o.deadline !== undefined
      ? setTimeout(() => {
          problems.cutAfterMs = Date.now() - started
          stop()
        }, o.deadline - started)
      : undefined
  const exited = new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res()
    child.once('exit', () => res())
    child.once('error', (e) => {
      problems.error = e.message
      res()
    })
  })
  try {
    try {
      for await (const chunk of child.stdout!) {
        o.onBytes?.((chunk as Buffer).length)
        yield chunk as Buffer
        if (stopped) break
      }
    } catch (err) {
      // destroying the pipe at the deadline ends the iteration with a premature close
      if (!stopped) throw err
    }
    if (!stopped) {
      await exited
      const code = child.exitCode
      if (code !== 0 && code !== null) problems.error = `command exited with code ${code}${code === 127 ? ' (command not found)' : ''}`
    }
  } finally {
    clearTimeout(timer)
    o.signal?.removeEventListener('abort', stop)
    // The whole group goes, also when the shell has ended (a command may leave children behind).
    killGroup(child, 'SIGTERM')
    if (child.exitCode === null && child.signalCode === null) await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))])
    if (groupAlive(child)) {
      await new Promise((r) => setTimeout(r, 50))
      killGroup(child, 'SIGKILL')
    }
    live.delete(child)
    if (live.size === 0) unhook()
  }
}
