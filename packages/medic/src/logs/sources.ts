/**
 * Where log bytes come from: files and globs (rotated siblings oldest first, `.gz` decompressed as a
 * stream), stdin, and a command's output (stdout and stderr together, as `docker logs` splits
 * them). `--follow` keeps reading what is appended to files (reopening after truncation/rotation).
 * Each source yields Buffer chunks; a problem (missing file, unreadable, failing command, truncated
 * gzip) is recorded on the source, never thrown.
 */
import { spawn } from 'node:child_process'
import { createReadStream, promises as fsp, type Stats } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { InputProblems, SourceSpec } from './types.js'

export const CHUNK_BYTES = 1 << 20

/** One concrete input after glob expansion. */
export interface ResolvedSource {
  name: string
  kind: 'file' | 'command' | 'stdin'
  path?: string
  command?: string
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
      out.push({ name: `$ ${spec.command}`, kind: 'command', command: spec.command, gzip: false, size: 0, format: spec.format, service: spec.service })
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
      yield* commandChunks(src.command!, problems, o)
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
  if (o.tailBytes && size > o.tailBytes) {
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

async function* commandChunks(command: string, problems: InputProblems, o: ReadOptions): AsyncGenerator<Buffer> {
  // stderr joined to stdout in the shell so lines stay whole (docker logs writes both).
  const child = spawn('/bin/sh', ['-c', `exec 2>&1\n${command}`], { stdio: ['ignore', 'pipe', 'inherit'] })
  const onAbort = () => child.kill('SIGTERM')
  o.signal?.addEventListener('abort', onAbort, { once: true })
  const exited = new Promise<number | null>((res) => {
    child.on('close', (code) => res(code))
    child.on('error', (e) => {
      problems.error = e.message
      res(null)
    })
  })
  try {
    for await (const chunk of child.stdout!) {
      o.onBytes?.((chunk as Buffer).length)
      yield chunk as Buffer
      if (o.signal?.aborted) break
    }
    const code = await exited
    if (code !== 0 && code !== null && !o.signal?.aborted) problems.error = `command exited with code ${code}${code === 127 ? ' (command not found)' : ''}`
  } finally {
    o.signal?.removeEventListener('abort', onAbort)
    if (child.exitCode === null) child.kill('SIGTERM')
  }
}
