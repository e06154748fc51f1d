/**
 * Read a `.env` file. Missing file -> empty, never a throw.
 *
 * medic parses the file itself, line by line, instead of with Node's util.parseEnv: parseEnv glues
 * a line without `=` to the next one (`BROKEN LINE\nexport FOO_URL` became one variable name), so a
 * single typo made a multi-line "variable" and hid the next one. The syntax is the one python-dotenv,
 * dotenv (npm) and docker compose share: `NAME=value`, `export NAME=value`, blanks around `=`,
 * single, double and backtick quotes (which may span lines; `\n` expands in double quotes), `#`
 * comments. As with parseEnv, an unquoted value ends at its first `#`. A line that is not an
 * assignment is reported in `malformed` (by line number only: the line may hold a secret) and sets
 * nothing.
 */
import { readFileSync } from 'node:fs'

export interface MalformedLine {
  /** 1-based line number. */
  line: number
  /** Why it is not an assignment, in words that never include the line's text. */
  problem: string
  /** The line's first word when it looks like a variable name (`DATABASE_URL postgres://…`): only for matching, never print it unless it is a name you already know. */
  name?: string
}

export interface ParsedDotEnv {
  values: Record<string, string>
  /** Line of each variable's (last) assignment. */
  lines: Record<string, number>
  /** Variables written with only blanks as their value (`KEY=   `, `KEY="  "`). */
  blank: string[]
  /** Variables whose unquoted value was cut at a `#` glued to it (`pa#ss`): the rest became a comment. */
  hashCut: string[]
  malformed: MalformedLine[]
}

export interface DotEnv {
  path: string
  found: boolean
  values: Record<string, string>
  malformed: MalformedLine[]
  /** Why an existing path could not be read (EISDIR, EACCES...); absent for a missing file. */
  error?: string
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
const QUOTES = new Set(['"', "'", '`'])

/** Index of the quote closing a value opened with `q`, or -1; `\x` escapes in double quotes. */
function closingQuote(s: string, q: string, from: number): number {
  if (q !== '"') return s.indexOf(q, from)
  for (let i = from; i < s.length; i++) {
    const ch = s[i]
    if (ch === '\\') i++
    else if (ch === '"') return i
  }
  return -1
}

export function parseDotEnvDetailed(input: string): ParsedDotEnv {
  const out: ParsedDotEnv = { values: {}, lines: {}, blank: [], hashCut: [], malformed: [] }
  const blank = new Set<string>()
  const cut = new Set<string>()
  // Strip a BOM so the first key is not mangled.
  const lines = input.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1
    const raw = lines[i]
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const body = trimmed.replace(/^export\s+/, '')
    const eq = body.indexOf('=')
    const firstWord = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}(?=\s|$|=)/.exec(body)?.[0]
    if (eq < 0) {
      out.malformed.push({ line: lineNo, problem: 'no "=" (not a NAME=value assignment)', ...(firstWord ? { name: firstWord } : {}) })
      continue
    }
    const name = body.slice(0, eq).trim()
    if (!NAME.test(name)) {
      out.malformed.push({ line: lineNo, problem: 'what stands before "=" is not a variable name', ...(firstWord ? { name: firstWord } : {}) })
      continue
    }
    // The value starts after `=` on the untrimmed line (trailing blanks matter inside quotes).
    const rawValue = raw.slice(raw.indexOf('=') + 1)
    const afterEq = rawValue.replace(/^[ \t]+/, '')
    let value: string
    let blanks: boolean
    if (QUOTES.has(afterEq[0])) {
      const q = afterEq[0]
      let text = afterEq
      let end = closingQuote(text, q, 1)
      let j = i
      // A quoted value may span lines; look further only while no closing quote is found.
      while (end < 0 && j + 1 < lines.length) {
        j++
        const from = text.length
        text += '\n' + lines[j]
        end = closingQuote(text, q, from)
      }
      if (end < 0) {
        // Never closed: keep the rest of this line as the value (what parseEnv gives the app).
        out.malformed.push({ line: lineNo, problem: `the ${q} quote is never closed`, name })
        value = afterEq.trimEnd()
      } else {
        value = text.slice(1, end)
        if (q === '"') value = value.replace(/\\([nr"\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c))
        i = j
      }
      blanks = value !== '' && value.trim() === ''
      cut.delete(name)
    } else {
      const hash = afterEq.indexOf('#')
      if (hash > 0 && !/\s/.test(afterEq[hash - 1])) cut.add(name)
      else cut.delete(name)
      value = (hash >= 0 ? afterEq.slice(0, hash) : afterEq).trim()
      // `KEY=   `: the app sees an empty string, but the person meant to write something.
      blanks = hash < 0 && rawValue.length > 0 && rawValue.trim() === ''
    }
    if (blanks) blank.add(name)
    else blank.delete(name)
    out.values[name] = value
    out.lines[name] = lineNo
  }
  out.blank = [...blank]
  out.hashCut = [...cut]
  return out
}

export function parseDotEnv(text: string): Record<string, string> {
  return parseDotEnvDetailed(text).values
}

export function readDotEnv(path: string): DotEnv {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { path, found: false, values: {}, malformed: [], ...(code && code !== 'ENOENT' ? { error: code } : {}) }
  }
  const parsed = parseDotEnvDetailed(text)
  return { path, found: true, values: parsed.values, malformed: parsed.malformed }
}
