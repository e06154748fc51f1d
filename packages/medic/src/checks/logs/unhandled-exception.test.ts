/** logs.unhandled-exception: tracebacks in the window, grouped with their top in-app frame. */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evidenceText, findingOf, runCheck } from '../../../test/helpers/check-tester.js'
import check from './unhandled-exception.js'
import { logsTarget, tempDir } from './fixtures.test-helper.js'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const local = (m: number) => {
  const d = new Date(Date.UTC(2026, 10, 22, 1, m, 0))
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:00,000`
}

describe('logs.unhandled-exception', () => {
  it('critical with the top groups and their in-app frame', async () => {
    const lines: string[] = []
    for (let m = 0; m < 10; m++) {
      lines.push(`${local(m)} INFO app: ok`)
      lines.push(`${local(m)} ERROR app.api: Exception on /orders/${m}`, 'Traceback (most recent call last):', `  File "/app/app/api/orders.py", line ${40 + m}, in list_orders`, '    rows = repo.list()', '  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/pool/impl.py", line 157, in _do_get', '    raise exc.TimeoutError(', `sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout ${m}.00`)
    }
    const f = join(dir, 'tb.log')
    writeFileSync(f, lines.join('\n') + '\n')
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    const fnd = findingOf(r, 'logs.unhandled-exception')
    expect(fnd?.severity).toBe('critical')
    expect(fnd?.title).toBe('10 exceptions in 1 group (top: sqlalchemy.exc.TimeoutError)')
    expect(evidenceText(fnd)).toContain('10× at api/orders.py:list_orders')
  })

  it('ok without tracebacks', async () => {
    const f = join(dir, 'clean.log')
    writeFileSync(f, 'ERROR:app:plain error without a stack\nINFO:app:fine\n')
    const r = await runCheck(check, null, { target: logsTarget([{ file: f }]) })
    expect(r.status).toBe('ok')
  })
})
