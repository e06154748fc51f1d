// Real lookups through the system resolver: `localhost` resolves from /etc/hosts, and names under
// the reserved `.invalid` TLD (RFC 6761) never resolve anywhere.
import { afterEach, describe, expect, it } from 'vitest'
import { evidenceText, runCheck } from '../../../test/helpers/check-tester.js'
import { envFixture, type EnvFixture } from '../../../test/helpers/env-target.js'
import check from './host-unresolvable.js'

let fx: EnvFixture | undefined
afterEach(() => fx?.cleanup())

const COMPOSE = ['services:', '  mysql:', '    image: mariadb:11', '  redis:', '    image: redis:7', '  backend:', '    build: .', '    container_name: logbook-backend', ''].join('\n')

describe('config.hosts (config.host-unresolvable)', () => {
  it('DB_HOST=db next to a compose service called mysql: the evidence lists the services', async () => {
    fx = envFixture({ '.env': 'DB_HOST=db.invalid\nDB_PORT=3306\nDB_PASSWORD=s3cret-pw\nREDIS_URL=redis://localhost:6379/0\n', 'docker-compose.yml': COMPOSE })
    const r = await runCheck(check, null, { target: fx.target, secrets: ['s3cret-pw'] })
    expect(r.findings).toHaveLength(1)
    const f = r.findings[0]
    expect(f.id).toBe('config.host-unresolvable')
    expect(f.severity).toBe('critical')
    expect(f.title).toBe('DB_HOST: host db.invalid does not resolve')
    const text = evidenceText(f)
    expect(text).toContain('DB_HOST: host db.invalid')
    // NXDOMAIN for the reserved .invalid TLD; EAI_AGAIN if this machine's resolver is unreachable.
    expect(text).toMatch(/lookup db\.invalid: (ENOTFOUND|EAI_AGAIN)/)
    expect(text).toMatch(/compose services \(.*docker-compose\.yml\): mysql, redis, backend/)
    expect(f.fix).toContain('set the variable to one of mysql, redis, backend')
    expect(f.commands).toContain('getent hosts db.invalid')
    expect(r.observations['config.hosts.checked']).toBe(2)
    expect(r.observations['config.hosts.unresolvable']).toBe(1)
  })

  it('a host that IS a compose service but does not resolve here: says it only resolves inside the network', async () => {
    fx = envFixture({ '.env': 'DATABASE_URL=mysql://app:pw@mysql.invalid:3306/logbook\n', 'compose.yaml': COMPOSE.replace('  mysql:', '  mysql.invalid:') })
    const r = await runCheck(check, null, { target: fx.target })
    const f = r.findings[0]
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('DATABASE_URL: host mysql.invalid does not resolve here (a compose service name: it resolves only inside the compose network)')
    expect(evidenceText(f)).toContain('port 3306')
    expect(f.fix).toContain('resolves only inside the compose network')
  })

  it('uses env.compose when given, and passes hosts that resolve', async () => {
    fx = envFixture({ '.env': 'DATABASE_URL=postgres://app@localhost:5432/app\nCACHE_HOST=localhost\nQDRANT_URL=http://127.0.0.1:6333\n' })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('ok')
    expect(r.evidence).toEqual([{ label: 'localhost', observed: expect.stringMatching(/^(127\.0\.0\.1|::1) \(DATABASE_URL, CACHE_HOST\)$/) }])
  })

  it('is skipped when no variable names a host', async () => {
    fx = envFixture({ '.env': 'QDRANT_URL=http://127.0.0.1:6333\nAPP_NAME=x\n' })
    const r = await runCheck(check, null, { target: fx.target })
    expect(r.status).toBe('skipped')
  })
})
