/**
 * Line prefixes that log collectors put before every line of an app's log: `docker compose logs`
 * ("api-1  | …") and `kubectl logs --prefix` ("[pod/api-7d9f8c6b5-x2zqk/app] …"). They hide the
 * record's own timestamp and the indentation of its stack lines, so a source whose lines carry one
 * is read with the prefix cut off, and the prefix names the event's service.
 */
import { levelWord } from './parse/level.js'

export interface LinePrefix {
  kind: 'compose' | 'kubectl'
  /** Where the line's own text starts, or -1 when this line has no such prefix. */
  cut(line: string): number
  /** The service the prefix names (call right after a successful `cut`). */
  readonly service: string
  /**
   * The app instance the prefix names (`api-1`, a pod's container), after a successful `cut`: the
   * lines of one instance form its records, whatever other instances wrote in between.
   */
  readonly instance: string
}

// "api-1  | text", "api_1 | text" (compose v1 and v2; the bar may end the line)
const RE_COMPOSE = /^([A-Za-z0-9][\w.-]*?)(?:[-_]\d+)?\s+\|(?: |$)/
// "[pod/api-7d9f8c6b5-x2zqk/app] text"
const RE_KUBECTL = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] /

/**
 * A prefix kind: its pattern (group 1 names the source) and the service that name stands for, or
 * null when the match is not such a prefix. The service is worked out once per name in a row.
 */
function prefixOf(kind: LinePrefix['kind'], re: RegExp, serviceOf: (name: string) => string | null): LinePrefix {
  let service = ''
  let instance = ''
  let lastName: string | null = null
  let lastService: string | null = null
  let lastPrefix = ''
  return {
    kind,
    cut(line) {
      const m = re.exec(line)
      if (!m) return -1
      if (m[1] !== lastName) {
        lastName = m[1]
        lastService = serviceOf(lastName)
      }
      if (lastService === null) return -1
      service = lastService
      // the prefix without the space after it ("api-1  |" ends a line without one)
      if (m[0] !== lastPrefix) {
        lastPrefix = m[0]
        instance = lastPrefix.trimEnd()
      }
      return m[0].length
    },
    get service() {
      return service
    },
    get instance() {
      return instance
    },
  }
}

// "INFO  | message" is a level column, not a service
const composePrefix = () => prefixOf('compose', RE_COMPOSE, (name) => (levelWord(name) ? null : name))
// a Deployment's pod is <name>-<replicaset hash>-<pod id>: the name is the service
const kubectlPrefix = () => prefixOf('kubectl', RE_KUBECTL, (pod) => /^(.+?)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod)?.[1] ?? pod)

/** The prefix nearly every line of the sample carries (≥ 90 % of its non-empty lines), or null. */
export function detectPrefix(sample: string[]): LinePrefix | null {
  const lines = sample.filter((l) => l.length > 0)
  if (lines.length === 0) return null
  for (const make of [composePrefix, kubectlPrefix]) {
    const p = make()
    let n = 0
    for (const l of lines) if (p.cut(l) >= 0) n++
    if (n >= lines.length * 0.9) return p
  }
  return null
}
