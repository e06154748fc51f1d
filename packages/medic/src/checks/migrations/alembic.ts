/**
 * Alembic's revision graph, read from the `versions/` scripts without running Python: each script
 * names its `revision` and `down_revision` (a string, None, or a tuple/list for a merge), and its
 * docstring repeats them (`Revision ID:` / `Revises:`), which we use when the assignments are
 * missing. Heads are revisions no other revision names as its parent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

export interface Revision {
  id: string
  /** Parents (down_revision): none for a base, two or more for a merge. */
  down: string[]
  file: string
}

export interface RevisionGraph {
  revisions: Map<string, Revision>
  heads: string[]
  bases: string[]
  /** Parents named by some script but defined by none (a deleted or renamed file). */
  missingParents: { revision: string; parent: string }[]
  /** The same revision id in two files. */
  duplicates: { id: string; files: string[] }[]
  /** Python files that do not declare a revision (helpers, __init__.py). */
  ignored: string[]
}

const MAX_SCRIPT_BYTES = 2 << 20

/** The value of `name = ...` (optionally `name: Type = ...`), spanning lines for ( ... ) and [ ... ]. */
function assignment(text: string, name: string): string | undefined {
  const m = new RegExp(`^${name}\\s*(?::[^=\\n]*)?=[ \\t]*`, 'm').exec(text)
  if (!m) return undefined
  const start = m.index + m[0].length
  const open = text[start]
  if (open === '(' || open === '[') {
    const close = open === '(' ? ')' : ']'
    const end = text.indexOf(close, start)
    return text.slice(start, end < 0 ? Math.min(text.length, start + 2000) : end + 1)
  }
  const eol = text.indexOf('\n', start)
  return text.slice(start, eol < 0 ? text.length : eol)
}

function quoted(expr: string): string[] {
  return [...expr.matchAll(/(['"])([^'"\n]+)\1/g)].map((m) => m[2].trim()).filter(Boolean)
}

/** Revision and parents of one script, or undefined when it declares none. */
export function parseScript(text: string): { id: string; down: string[] } | undefined {
  const revExpr = assignment(text, 'revision')
  let id = revExpr ? quoted(revExpr)[0] : undefined
  let down: string[] | undefined
  const downExpr = assignment(text, 'down_revision')
  if (downExpr !== undefined) down = /^\s*None\b/.test(downExpr) ? [] : quoted(downExpr)
  if (!id) id = /^Revision ID:[ \t]*([^\s]+)/m.exec(text)?.[1]
  if (down === undefined) {
    const revises = /^Revises:[ \t]*(.*)$/m.exec(text)?.[1]
    down = revises ? revises.split(/[\s,]+/).filter((s) => s && s !== 'None') : []
  }
  if (!id) return undefined
  return { id, down }
}

/** Every .py under `dir` (Alembic allows sub-folders), skipping __pycache__; sorted for stable output. */
function pythonFiles(dir: string, depth = 0): string[] {
  if (depth > 3) return []
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === '__pycache__') continue
    const p = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...pythonFiles(p, depth + 1))
    else if (entry.isFile() && entry.name.endsWith('.py')) out.push(p)
  }
  return out.sort()
}

export function readRevisionGraph(dir: string): RevisionGraph {
  const revisions = new Map<string, Revision>()
  const seen = new Map<string, string[]>()
  const ignored: string[] = []
  for (const path of pythonFiles(dir)) {
    const file = relative(dir, path)
    if (statSync(path).size > MAX_SCRIPT_BYTES) {
      ignored.push(file)
      continue
    }
    const parsed = parseScript(readFileSync(path, 'utf8'))
    if (!parsed) {
      ignored.push(file)
      continue
    }
    seen.set(parsed.id, [...(seen.get(parsed.id) ?? []), file])
    if (!revisions.has(parsed.id)) revisions.set(parsed.id, { ...parsed, file })
  }
  return graphOf(revisions, ignored, seen)
}

export function graphOf(revisions: Map<string, Revision>, ignored: string[] = [], seen = new Map<string, string[]>()): RevisionGraph {
  const parents = new Set<string>()
  const missingParents: RevisionGraph['missingParents'] = []
  for (const r of revisions.values()) {
    for (const p of r.down) {
      parents.add(p)
      if (!revisions.has(p)) missingParents.push({ revision: r.id, parent: p })
    }
  }
  const ids = [...revisions.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map((r) => r.id)
  return {
    revisions,
    heads: ids.filter((id) => !parents.has(id)),
    bases: ids.filter((id) => revisions.get(id)!.down.length === 0),
    missingParents,
    duplicates: [...seen.entries()].filter(([, files]) => files.length > 1).map(([id, files]) => ({ id, files })),
    ignored,
  }
}

/** Revisions from the bases up (parents before children; ties by file name); a cycle cannot hang it. */
export function topoOrder(g: RevisionGraph): string[] {
  const children = new Map<string, string[]>()
  const pending = new Map<string, number>()
  for (const r of g.revisions.values()) {
    const known = r.down.filter((p) => g.revisions.has(p))
    pending.set(r.id, known.length)
    for (const p of known) children.set(p, [...(children.get(p) ?? []), r.id])
  }
  const byFile = (a: string, b: string) => (g.revisions.get(a)!.file < g.revisions.get(b)!.file ? -1 : 1)
  const ready = [...pending.entries()].filter(([, n]) => n === 0).map(([id]) => id).sort(byFile)
  const out: string[] = []
  const done = new Set<string>()
  while (ready.length) {
    const id = ready.shift()!
    if (done.has(id)) continue
    done.add(id)
    out.push(id)
    const next: string[] = []
    for (const c of children.get(id) ?? []) {
      const n = pending.get(c)! - 1
      pending.set(c, n)
      if (n === 0) next.push(c)
    }
    ready.push(...next)
    ready.sort(byFile)
  }
  // A cycle (hand-edited scripts) leaves nodes behind: list them last rather than lose them.
  for (const id of [...g.revisions.keys()].sort(byFile)) if (!done.has(id)) out.push(id)
  return out
}

/** The revisions at or below `from` (what `alembic upgrade` considers applied). */
export function ancestors(g: RevisionGraph, from: string[]): Set<string> {
  const seen = new Set<string>()
  const stack = from.filter((id) => g.revisions.has(id))
  while (stack.length) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    for (const p of g.revisions.get(id)?.down ?? []) if (g.revisions.has(p)) stack.push(p)
  }
  return seen
}

export interface AlembicState {
  /** Revisions in the code the database has not reached, in upgrade order. */
  pending: string[]
  /** Revisions the database records that no script defines. */
  unknown: string[]
}

/** Compare the database's alembic_version rows with the graph. */
export function compare(g: RevisionGraph, dbVersions: string[]): AlembicState {
  const unknown = dbVersions.filter((v) => !g.revisions.has(v))
  const applied = ancestors(g, dbVersions)
  const pending = unknown.length ? [] : topoOrder(g).filter((id) => !applied.has(id))
  return { pending, unknown }
}
