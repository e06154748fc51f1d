import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/helpers/cli.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-cli-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function withConfig(name: string, text: string): string {
  const d = mkdtempSync(join(dir, `${name}-`))
  writeFileSync(join(d, 'medic.yaml'), text)
  return d
}

describe('medic CLI', () => {
  it('prints help for the program and for each command, exit 0', async () => {
    const top = await runCli(['--help'])
    expect(top.code).toBe(0)
    for (const cmd of ['diagnose', 'check', 'list', 'init']) expect(top.stdout).toContain(cmd)
    const sub = await runCli(['check', '--help'])
    expect(sub.code).toBe(0)
    expect(sub.stdout).toContain('--fail-on <severity>')
  })

  it('exits 3 with a clear message for an unknown option or format', async () => {
    const r = await runCli(['diagnose', '--format', 'xml'])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, json, markdown, nagios")
  })

  it('exits 3 for a bad config: file, line, key, hint, and no stack trace', async () => {
    const cwd = withConfig('bad', 'targets:\n  api: { kind: http, url: http://127.0.0.1:1, heath: [/x] }\n')
    const r = await runCli(['diagnose'], { cwd })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('medic.yaml:2 targets.api: unknown key "heath"')
    expect(r.stderr).toContain('hint:')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 3 for malformed YAML and an unknown id in disable', async () => {
    const yaml = await runCli(['diagnose'], { cwd: withConfig('yaml', 'targets: [\n') })
    expect(yaml.code).toBe(3)
    expect(yaml.stderr).toMatch(/medic\.yaml:\d+: invalid YAML/)
    const dis = await runCli(['diagnose'], { cwd: withConfig('dis', 'disable: [postgres.no-such-thing]\n') })
    expect(dis.code).toBe(3)
    expect(dis.stderr).toContain('disable[0]: unknown finding or check id "postgres.no-such-thing"')
  })

  it('exits 3 for a threshold that is not an option of the check, has the wrong type, or a per-target unknown id', async () => {
    const r = await runCli(['diagnose'], {
      cwd: withConfig(
        'thr',
        'thresholds:\n  postgres.idle-in-transaction: { warnSeconds: 30 }\n  redis.latency: { warningMs: "high" }\ntargets:\n  db: { kind: postgres, url: "postgres://x@127.0.0.1:1/x", thresholds: { postgres.nosuch: { x: 1 } } }\n',
      ),
    })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('thresholds.postgres.idle-in-transaction.warnSeconds: "warnSeconds" is not an option of postgres.idle-in-transaction; its options: ')
    expect(r.stderr).toMatch(/thresholds\.redis\.latency\.warningMs: expected a number \(default \d+\), got "high"/)
    expect(r.stderr).toContain('targets.db.thresholds.postgres.nosuch: unknown finding or check id "postgres.nosuch"')
  })

  it('exits 3 when --config names a missing file, and for a bad --timeout', async () => {
    const r = await runCli(['diagnose', '--config', 'nope.yaml'], { cwd: dir })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('nope.yaml: file not found')
    const t = await runCli(['diagnose', '--timeout', 'soon'], { cwd: withConfig('t', 'targets: {}\n') })
    expect(t.code).toBe(3)
    expect(t.stderr).toContain('--timeout "soon" is not a duration')
  })

  it('exits 3 for a ./medic.yaml that is a symbolic link to nothing, instead of checking discovered targets', async () => {
    const d = mkdtempSync(join(dir, 'dangling-'))
    symlinkSync(join(d, 'moved-away.yaml'), join(d, 'medic.yaml'))
    const r = await runCli(['check', 'config'], { cwd: d })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('./medic.yaml is a symbolic link to')
    expect(r.stderr).toContain('moved-away.yaml, which does not exist')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 3 for an unknown check selector and lists the families', async () => {
    const r = await runCli(['check', 'mongo'], { cwd: withConfig('sel', 'targets: {}\n') })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('unknown check, family or target: mongo')
  })

  it('exits 3 for an unknown symptom and lists the known ones', async () => {
    const r = await runCli(['diagnose', 'sneezing'], { cwd: withConfig('sym', 'targets: {}\n') })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('unknown symptom "sneezing"')
  })

  it('writes one JSON document with schemaVersion for --json', async () => {
    const r = await runCli(['--json'], { cwd: withConfig('json', 'targets: {}\n') })
    const doc = JSON.parse(r.stdout)
    // An empty config checks nothing: that is UNKNOWN (exit 3) with a note, never a green OK.
    expect(doc).toMatchObject({ schemaVersion: 1, status: 'unknown', targets: [], checks: [], findings: [] })
    expect(doc.notes.join('\n')).toContain('nothing was checked')
    expect(r.code).toBe(3)
  })

  it('diagnose 401 --token ranks an expired token first and never prints the token or the secret', async () => {
    const secret = 'k3y-for-tests-0123456789abcdef0123456789'
    const token = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(secret))
    const cwd = withConfig('jwt', `auth:\n  jwt: { secret: "${secret}", algorithms: [HS256] }\n`)
    const r = await runCli(['diagnose', '401', '--token', `Bearer ${token}`, '--json'], { cwd })
    const doc = JSON.parse(r.stdout)
    expect(doc.diagnosis.causes[0].id).toBe('token-expired')
    expect(doc.findings.map((f: { id: string }) => f.id)).toContain('jwt.expired')
    expect(r.code).toBe(2)
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(token.split('.')[2])
      expect(out).not.toContain(secret)
    }
    const text = await runCli(['diagnose', '401', '--token', token], { cwd })
    expect(text.stdout).toMatch(/Symptom 401: most likely: The token has expired/)
  })

  it('a DSN that does not parse in the environment is reported by config.urls, not a crash of discovery', async () => {
    const cwd = mkdtempSync(join(dir, 'badurl-'))
    const r = await runCli(['check', 'config', '--json'], { cwd, env: { DATABASE_URL: 'postgres://app:Disc#Pw@127.0.0.1:5432/app' } })
    const doc = JSON.parse(r.stdout)
    expect(doc.findings.map((f: { id: string }) => f.id)).toContain('config.invalid-url')
    expect(r.code).toBe(2)
    expect(r.stdout).not.toContain('Disc#Pw')
  })

  it("a team's own runbooks (runbooks: folder) add symptoms and replace built-in ones; a bad one is a config error", async () => {
    const cwd = withConfig('rb', 'runbooks: ./runbooks\nenv: { file: .env, secrets: [SECRET_KEY] }\nenvironment: production\n')
    mkdirSync(join(cwd, 'runbooks'))
    writeFileSync(join(cwd, '.env'), 'SECRET_KEY=changeme\n')
    writeFileSync(
      join(cwd, 'runbooks', 'deploy.yaml'),
      'symptom: deploy-fails\naliases: [ship]\ntitle: The deploy job fails\nchecks: [config]\ncauses:\n  - id: default-secret\n    title: A secret is still the default\n    supports:\n      - { finding: config.weak-secret, weight: 0.9 }\n    fix: Generate a real secret.\n',
    )
    const r = await runCli(['diagnose', 'ship', '--json'], { cwd, env: {} })
    const doc = JSON.parse(r.stdout)
    expect(doc.diagnosis.symptom).toBe('deploy-fails')
    expect(doc.diagnosis.causes[0]).toMatchObject({ id: 'default-secret', score: 0.9 })
    const list = await runCli(['list'], { cwd, env: {} })
    expect(list.stdout).toContain('deploy-fails')
    writeFileSync(join(cwd, 'runbooks', 'broken.yaml'), 'symptom: x\ntitle: X\nchecks: [config]\ncauses:\n  - id: c\n    title: C\n    supports:\n      - { finding: config.no-such, weight: 0.5 }\n    fix: f\n')
    const bad = await runCli(['diagnose', 'ship'], { cwd, env: {} })
    expect(bad.code).toBe(3)
    expect(bad.stderr).toMatch(/broken\.yaml:8 causes\.0\.supports\.0: unknown finding id "config\.no-such"/)
  })

  it('init writes medic.yaml with ${VAR} references, never the secret, and refuses to overwrite', async () => {
    const cwd = mkdtempSync(join(dir, 'init-'))
    writeFileSync(join(cwd, '.env'), 'REDIS_URL=redis://:hunter2hunter2@127.0.0.1:1/0\nJWT_SECRET_KEY=abcdefabcdefabcdef\n')
    const r = await runCli(['init'], { cwd, env: {} })
    expect(r.code).toBe(0)
    const text = readFileSync(join(cwd, 'medic.yaml'), 'utf8')
    expect(text).toContain('url: ${REDIS_URL}')
    expect(text).not.toContain('hunter2hunter2')
    expect(text).not.toContain('abcdefabcdefabcdef')
    // nothing says which environment this is: production is assumed, and said
    expect(text).toContain('environment: production')
    expect(r.stderr).toContain('environment: production assumed (no ENVIRONMENT, APP_ENV or NODE_ENV set)')
    const staging = await runCli(['init', '--stdout'], { cwd, env: { APP_ENV: 'staging' } })
    expect(staging.stdout).toContain('environment: staging')
    expect(staging.stderr).not.toContain('assumed')
    const nowhere = await runCli(['init', '-o', 'no/such/dir/medic.yaml'], { cwd, env: {} })
    expect(nowhere.code).toBe(3)
    expect(nowhere.stderr).toContain('cannot write no/such/dir/medic.yaml: its folder does not exist')
    const folder = await runCli(['init', '-o', '.', '--force'], { cwd, env: {} })
    expect(folder.code).toBe(3)
    expect(folder.stderr).toContain('cannot write .: it is a folder')
    const again = await runCli(['init'], { cwd, env: {} })
    expect(again.code).toBe(3)
    expect(again.stderr).toContain('medic.yaml already exists')
  })
})
