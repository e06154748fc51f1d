/**
 * Template mining, Drain-style (He et al., ICWS 2017): a fixed-depth prefix tree keyed by token
 * count then the first tokens routes a masked message to a few candidate clusters; the most
 * similar one (share of equal tokens) absorbs it if it passes the threshold, turning the differing
 * positions into `<*>`, otherwise a new cluster starts. A cache of exact masked messages skips the
 * tree for the (very common) repeats.
 */
import { detached } from './detach.js'
import { NAMING_WORDS } from './grouping.data.js'
import { WILDCARD } from './mask.js'

export interface Cluster {
  /** Dense index, stable for the run. */
  index: number
  tokens: string[]
  size: number
}

interface TreeNode {
  children: Map<string, TreeNode>
  clusters: Cluster[]
}

function node(): TreeNode {
  return { children: new Map(), clusters: [] }
}

function hasDigit(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c >= 48 && c <= 57) return true
  }
  return false
}

/**
 * Similarity threshold. Masked tokens count as equal (both are variables), so a message joins a
 * cluster only when every word matches: a word that differs ("stored as bytes" / "stored as values",
 * "cache hit" / "cache miss") is a different event until mergeVariableWords sees enough values at
 * that position to call it a variable. Measured on labelled system logs, the exact rule groups
 * better than Drain's share-of-equal-tokens (0.5 in the paper, 0.9 here before).
 */
export const DEFAULT_SIMILARITY = 1

/**
 * Bounds on a leaf of the tree, whose clusters every new message there is compared with: word
 * variables without digits (user names, hosts) make a cluster per value under the exact rule, so
 * a leaf holding CROWDED_LEAF clusters accepts near matches (Drain's own 0.5), and one holding
 * FULL_LEAF always joins the nearest: time per message and memory stay bounded.
 */
const CROWDED_LEAF = 64
const CROWDED_SIMILARITY = 0.5
const FULL_LEAF = 256

export interface DrainOptions {
  /** Tree depth (token-count layer + depth-2 token layers + leaves). */
  depth?: number
  /** Similarity threshold 0..1. */
  similarity?: number
  maxChildren?: number
}

export class Drain {
  readonly clusters: Cluster[] = []
  private readonly root = new Map<number, TreeNode>()
  private readonly cache = new Map<string, Cluster>()
  private readonly layers: number
  private readonly st: number
  private readonly maxChildren: number
  private readonly crowdedSt: number

  constructor(o: DrainOptions = {}) {
    this.layers = (o.depth ?? 4) - 2
    this.st = o.similarity ?? DEFAULT_SIMILARITY
    this.maxChildren = o.maxChildren ?? 100
    this.crowdedSt = Math.min(this.st, CROWDED_SIMILARITY)
  }

  /** Route masked tokens to their cluster (creating or generalising one). */
  add(tokens: string[]): Cluster {
    const key = tokens.join(' ')
    const hit = this.cache.get(key)
    if (hit) return this.again(hit)
    let c = this.search(tokens)
    if (c) {
      const t = c.tokens
      for (let i = 0; i < t.length; i++) if (t[i] !== tokens[i] && t[i] !== WILDCARD) t[i] = WILDCARD
      c.size++
    } else {
      c = { index: this.clusters.length, tokens: tokens.map(detached), size: 1 }
      this.clusters.push(c)
      this.insert(c)
    }
    if (this.cache.size > 100_000) this.cache.clear()
    this.cache.set(key, c)
    return c
  }

  /** add() of tokens routed to `c` before and still in the exact-message cache: its cache hit. */
  again(c: Cluster): Cluster {
    c.size++
    return c
  }

  private search(tokens: string[]): Cluster | undefined {
    let cur: TreeNode | undefined = this.root.get(tokens.length)
    if (!cur) return undefined
    const depth = Math.min(this.layers, tokens.length)
    for (let i = 0; i < depth; i++) {
      const next: TreeNode | undefined = cur.children.get(tokens[i]) ?? cur.children.get(WILDCARD)
      if (!next) return undefined
      cur = next
    }
    let best: Cluster | undefined
    let bestSim = -1
    let bestParams = -1
    for (const c of cur.clusters) {
      let same = 0
      let params = 0
      const t = c.tokens
      for (let i = 0; i < t.length; i++) {
        // a position masked in both (a number, an address...) is the same kind of token
        if (t[i] === tokens[i]) same++
        else if (t[i] === WILDCARD) params++
      }
      const sim = t.length === 0 ? 1 : same / t.length
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c
        bestSim = sim
        bestParams = params
      }
    }
    const n = cur.clusters.length
    const st = n >= FULL_LEAF ? 0 : n >= CROWDED_LEAF ? this.crowdedSt : this.st
    return best && bestSim >= st ? best : undefined
  }

  private insert(c: Cluster): void {
    const n = c.tokens.length
    let cur: TreeNode | undefined = this.root.get(n)
    if (!cur) {
      cur = node()
      this.root.set(n, cur)
    }
    const depth = Math.min(this.layers, n)
    for (let i = 0; i < depth; i++) {
      let tok = c.tokens[i]
      if (hasDigit(tok)) tok = WILDCARD
      let next: TreeNode | undefined = cur.children.get(tok)
      if (!next) {
        if (tok !== WILDCARD && cur.children.size >= this.maxChildren - 1) tok = WILDCARD
        next = cur.children.get(tok)
        if (!next) cur.children.set(tok, (next = node()))
      }
      cur = next
    }
    cur.clusters.push(c)
  }
}

/**
 * A word that varies without digits ("user alice …", "user bob …") splits a template: in the tree
 * when it is among the first tokens, and by the exact-match rule. Afterwards, clusters of the same
 * length that differ at exactly one position whose words look like values (see looksVariable) are
 * one template; then the same for pairs of positions varying together. Returns, per cluster index,
 * the index of the cluster it joins (itself when alone).
 */
export function mergeVariableWords(d: Drain, manyValues = 6): number[] {
  const parent = d.clusters.map((c) => c.index)
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]]
    return i
  }
  let maxLen = 0
  for (const c of d.clusters) if (c.tokens.length > maxLen) maxLen = c.tokens.length
  // bounded work on inputs with very many templates
  if (d.clusters.length > 20_000) maxLen = Math.min(maxLen, 12)
  for (let pos = 0; pos < maxLen; pos++) {
    const byKey = new Map<string, number[]>()
    for (const c of d.clusters) {
      // a one-word message has no context to call its word a variable
      if (c.tokens.length <= pos || c.tokens.length < 2) continue
      if (c.tokens.every((t, i) => i === pos || t === WILDCARD)) continue
      const key = `${c.tokens.length}|${c.tokens.map((t, i) => (i === pos ? WILDCARD : t)).join(' ')}`
      const list = byKey.get(key)
      if (list) list.push(c.index)
      else byKey.set(key, [c.index])
    }
    for (const list of byKey.values()) {
      if (list.length < 2) continue
      const words = new Set(list.map((i) => d.clusters[i].tokens[pos]))
      if (words.size < 2 || !looksVariable(words, pos > 0 ? d.clusters[list[0]].tokens[pos - 1] : undefined, manyValues)) continue
      const root = find(list[0])
      for (const i of list) parent[find(i)] = root
      for (const i of list) d.clusters[i].tokens[pos] = WILDCARD
    }
  }
  // Two word positions varying together ("user alice on host alpha"): the same test on pairs of
  // positions, both of which must look variable.
  const roots = new Map<number, Cluster>()
  for (const c of d.clusters) {
    const r = find(c.index)
    if (!roots.has(r)) roots.set(r, d.clusters[r])
  }
  const byLen = new Map<number, Cluster[]>()
  for (const c of roots.values()) {
    if (c.tokens.length < 4 || c.tokens.length > 40) continue
    const l = byLen.get(c.tokens.length)
    if (l) l.push(c)
    else byLen.set(c.tokens.length, [c])
  }
  for (const [len, list] of byLen) {
    if (list.length < 3 || list.length > 2000) continue
    const span = Math.min(len, 16)
    for (let p = 0; p < span; p++) {
      for (let q = p + 1; q < span; q++) {
        const byKey = new Map<string, Cluster[]>()
        for (const c of list) {
          const key = c.tokens.map((t, i) => (i === p || i === q ? WILDCARD : t)).join(' ')
          const g = byKey.get(key)
          if (g) g.push(c)
          else byKey.set(key, [c])
        }
        for (const g of byKey.values()) {
          if (g.length < 3) continue
          const wp = new Set(g.map((c) => c.tokens[p]))
          const wq = new Set(g.map((c) => c.tokens[q]))
          if (wp.size < 2 || wq.size < 2) continue
          const t0 = g[0].tokens
          if (!looksVariable(wp, p > 0 ? t0[p - 1] : undefined, manyValues) || !looksVariable(wq, q - 1 !== p ? t0[q - 1] : undefined, manyValues)) continue
          const root = find(g[0].index)
          for (const c of g) {
            parent[find(c.index)] = root
            c.tokens[p] = WILDCARD
            c.tokens[q] = WILDCARD
          }
          d.clusters[root].tokens[p] = WILDCARD
          d.clusters[root].tokens[q] = WILDCARD
        }
      }
    }
  }
  return d.clusters.map((c) => find(c.index))
}

// ALL_CAPS constants, camelCase names (maxTaskFailuresPerNode), snake_case names (max_retries)
const RE_CODE_WORD = /^(?:[A-Z][A-Z_]+|[a-z]+[A-Z][A-Za-z]*|[a-z]+_[a-z_]+)[,.;:]?$/

/**
 * Are these words, seen at one position of otherwise equal templates, values of a variable? Yes
 * when a masked value also occurred there, when the word before names what follows ("user root",
 * "for alice"), or when there are many of them; never when they are states or names
 * from the code. Without such a sign, a few different words are different events: "illegal
 * instruction" and "privileged instruction", "cache hit" and "cache miss".
 */
function looksVariable(words: Set<string>, before: string | undefined, manyValues: number): boolean {
  if (words.has(WILDCARD)) return true
  for (const w of words) if (isCodeWord(w)) return false
  if (before !== undefined && NAMING.has(before.toLowerCase().replace(/[:=,]$/, ''))) return true
  // key=value words: the key says it is a value, three values that it varies ("user=root",
  // "user=ftp", "user=sshd"); two may be two events ("user=root" and "user=guest")
  if (words.size >= 3 && sameKey(words)) return true
  return words.size >= manyValues
}

const NAMING = new Set(NAMING_WORDS)

/** Do all the words read key=value with one key? */
function sameKey(words: Set<string>): boolean {
  let key = ''
  for (const w of words) {
    const eq = w.indexOf('=')
    if (eq <= 0) return false
    const k = w.slice(0, eq)
    if (key && k !== key) return false
    key = k
  }
  return true
}

/** An enum-like constant (NEW, RUNNING) or a dotted name from the code (mapred.job.id). */
function isCodeWord(t: string): boolean {
  if (t.indexOf('.') > 0 && t.indexOf('.') < t.length - 1) return true
  return RE_CODE_WORD.test(t)
}

/** The template text of a cluster. */
export function templateOf(c: Cluster): string {
  return c.tokens.join(' ')
}
