/** Read a `.env` file with Node's own parser (util.parseEnv). Missing file -> empty, never a throw. */
import { readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'

export interface DotEnv {
  path: string
  found: boolean
  values: Record<string, string>
}

export function parseDotEnv(text: string): Record<string, string> {
  // parseEnv is total over strings; strip a BOM so the first key is not mangled.
  return parseEnv(text.replace(/^\uFEFF/, '')) as Record<string, string>
}

export function readDotEnv(path: string): DotEnv {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return { path, found: false, values: {} }
  }
  return { path, found: true, values: parseDotEnv(text) }
}
