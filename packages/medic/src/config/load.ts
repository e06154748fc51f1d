/**
 * Load medic.yaml: parse YAML keeping positions, expand `${VAR}` from the environment and `.env`,
 * validate with zod, and report every problem with file, line and key.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import { z } from 'zod'
import { ConfigError } from '../engine/errors.js'
import { readDotEnv } from './dotenv.js'
import { interpolate } from './interpolate.js'
import { configSchema, type MedicConfig } from './schema.js'

export interface LoadedConfig {
  config: MedicConfig
  file: string
  /** Variables from the process env and .env (process env wins), for checks that read the app's environment. */
  vars: Record<string, string | undefined>
}

type Problem = ConstructorParameters<typeof ConfigError>[0][number]

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  // Walk down as far as the path exists so a missing key points at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)
    const range = (node as { range?: [number, number, number] } | undefined)?.range
    if (range) return counter.linePos(range[0]).line
  }
  return undefined
}

function keyPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

function describeIssue(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
    case 'invalid_union_discriminator':
      return `unknown kind; expected one of ${issue.options.map(String).join(', ')}`
    case 'invalid_type':
      return issue.received === 'undefined' ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, got ${issue.received}`
    case 'invalid_enum_value':
      return `is "${String(issue.received)}", expected one of ${issue.options.map(String).join(', ')}`
    default:
      return issue.message
  }
}

/** Walk scalars of the YAML tree, expanding `${VAR}` in place so positions stay known. */
function expandVariables(doc: Document, vars: Record<string, string | undefined>, file: string, counter: LineCounter, problems: Problem[], used: Map<string, string[]>) {
  const visit = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        visit(pair.value, [...path, key])
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]))
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      used.set(keyPath(path), [...node.value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
      node.value = interpolate(node.value, vars, ({ variable }) => {
        problems.push({
          file,
          line: node.range ? counter.linePos(node.range[0]).line : undefined,
          path: keyPath(path),
          message: `environment variable ${variable} is not set`,
        })
      })
    }
  }
  visit(doc.contents, [])
}

export function parseConfig(text: string, file: string, env: Record<string, string | undefined>): MedicConfig {
  const counter = new LineCounter()
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        line: counter.linePos(e.pos[0]).line,
        path: '',
        message: `invalid YAML: ${e.message.split('\n')[0]}`,
      })),
      'Fix the YAML syntax (indentation, quotes, a missing colon) at the line shown.',
    )
  }
  const problems: Problem[] = []
  const used = new Map<string, string[]>()
  expandVariables(doc, env, file, counter, problems, used)
  if (problems.length > 0) {
    throw new ConfigError(problems, 'Export the variable, add it to .env, or give a default: ${NAME:-value}.')
  }
  const raw = doc.toJS() ?? {}
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ file, line: 1, path: '', message: 'expected a mapping of settings (targets:, logs:, ...)' }])
  }
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        file,
        // An unknown key points at its own line, not at the mapping that holds it.
        line: lineOf(doc, counter, issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path),
        path: keyPath(issue.path),
        // A bad value that came from the environment is fixed there, not in this file: say which variable.
        message: `${describeIssue(issue)}${used.has(keyPath(issue.path)) ? ` (value from ${used.get(keyPath(issue.path))!.map((v) => `$${v}`).join(', ')})` : ''}`,
      })),
      'See the "Config file" section of the README for the expected shape.',
    )
  }
  return parsed.data
}

export function loadConfigFile(path: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const file = resolve(path)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ConfigError(
      [{ file: path, path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})` }],
      'Pass an existing file with --config, or run `medic init` to write one.',
    )
  }
  // The config may name its .env; read the default one first so `${VAR}` in the file can use it.
  const dotenv = readDotEnv(resolve(dirname(file), '.env'))
  const vars = { ...dotenv.values, ...env }
  const config = parseConfig(text, path, vars)
  if (config.env?.file && config.env.file !== '.env') {
    const named = readDotEnv(resolve(dirname(file), config.env.file))
    return { config, file, vars: { ...named.values, ...env } }
  }
  return { config, file, vars }
}

export function defaultConfig(): MedicConfig {
  return configSchema.parse({})
}
