/**
 * config.urls: every URL/DSN variable (*_URL, *_URI, *_DSN, and .env values with a scheme) parses
 * the way a driver reads it. The evidence shows the value with its password masked.
 */
import { defineCheck } from '../../engine/check.js'
import { appEnvironment, grepAssignment, observeEnvironment, orderedNames, shortPath, whereSet } from './environment.js'
import { checkUrl, isUrlVariable, redactUrl } from './urls.js'

export default defineCheck({
  meta: {
    id: 'config.urls',
    title: 'URL and DSN variables parse',
    targets: ['env'],
    description:
      'Parses every URL/DSN variable of the app environment (*_URL, *_URI, *_DSN, and any .env value with a scheme): no scheme, an unknown scheme (host:port without one), a password with unencoded # / ? @, a bad port, a missing host, stray quotes or whitespace.',
    defaults: {},
    timeoutMs: 2000,
    findings: {
      'config.invalid-url': {
        title: 'A URL/DSN variable does not parse',
        fix: 'Write it as scheme://user:password@host:port/path and percent-encode special characters in the user and password (python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=\'\'))" \'p@ss#word\'), then restart the app.',
        commands: ["grep -nE '^[[:space:]]*(export[[:space:]]+)?{name}[[:space:]]*=' {file} | sed -E 's#(://[^:/]*:)[^@]*@#\\1***@#'"],
      },
    },
  },
  async run(ctx) {
    const env = await appEnvironment(ctx)
    observeEnvironment(ctx, env)
    // A value starting with / or ./ is a path relative to the app (BASE_URL=/, PUBLIC_URL=./): fine.
    const names = orderedNames(env).filter((n) => env.vars[n] && isUrlVariable(n, env.vars[n], env) && !/^\.{0,2}\//.test(env.vars[n]))
    if (names.length === 0) ctx.skip('no URL or DSN variable in the app environment')
    let invalid = 0
    for (const name of names) {
      const value = env.vars[name]
      const r = checkUrl(value)
      if (r.ok) continue
      invalid++
      const cut = env.origin[name] === '.env' && env.dotenv.hashCut.includes(name)
      if (cut) r.problem = `${r.problem}; the .env line holds an unquoted # that started a comment, so the value was cut there (quote the value or percent-encode # as %23)`
      ctx.finding('config.invalid-url', {
        severity: 'critical',
        title: `${name} is not a valid URL: ${cut ? `cut at an unquoted # in ${shortPath(env.dotenv.path, env.base)}` : r.problem}`,
        evidence: [
          { label: name, observed: `${redactUrl(value)} (${whereSet(env, name)})`, expected: 'scheme://host:port/path, credentials before the host, percent-encoded' },
          { label: 'problem', observed: r.problem ?? 'does not parse' },
        ],
        commands: [`${grepAssignment(name, shortPath(env.dotenv.path, env.base))} | sed -E 's#(://[^:/]*:)[^@]*@#\\1***@#'`],
      })
    }
    ctx.observe('config.urls.checked', names.length)
    ctx.observe('config.urls.invalid', invalid)
    if (invalid === 0) ctx.ok({ label: 'URL/DSN variables', observed: `${names.length} parse (${names.join(', ')})` })
  },
})
