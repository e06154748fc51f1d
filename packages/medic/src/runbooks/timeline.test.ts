import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CheckResult } from '../engine/types.js'
import { configSchema } from '../config/schema.js'
import { collectEvents, summarize } from './timeline.js'

const dir = mkdtempSync(join(tmpdir(), 'medic-timeline-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const result = (target: string, observations: CheckResult['observations']): CheckResult => ({ id: 'x.y', target, status: 'ok', durationMs: 1, findings: [], evidence: [], observations })

describe('timeline', () => {
  it('places a restart, a migration, a .env change and a deploy next to when the errors began', () => {
    const env = join(dir, '.env')
    writeFileSync(env, 'A=1\n')
    const envAt = new Date('2026-11-22T02:05:00Z')
    utimesSync(env, envAt, envAt)
    const events = collectEvents(
      [
        result('api', { 'process.startedAt': '2026-11-22T02:11:02.000Z' }),
        result('api', { 'process.startedAt': '2026-11-22T02:11:02.000Z' }), // seen by two checks: one event
        result('db', { 'migrations.lastAppliedAt': '2026-11-22T01:30:00.000Z' }),
        result('logs', { 'logs.errorsBeganAt': '2026-11-22T02:14:07.000Z', 'logs.errorsBeganGroup': 'KeyError in get_user' }),
      ],
      configSchema.parse({ deploys: [{ at: '2026-11-22T02:10:00Z', what: 'v1.4.2' }] }),
      [{ path: env, label: '.env' }, { path: join(dir, 'missing.yaml'), label: 'medic.yaml' }],
    )
    expect(events.map((e) => `${e.at.slice(11, 19)} ${e.kind} ${e.what}`)).toEqual([
      '01:30:00 migration last migration applied on db',
      '02:05:00 config .env changed',
      '02:10:00 deploy deploy v1.4.2',
      '02:11:02 restart api (re)started',
      '02:14:07 errors errors began (KeyError in get_user)',
    ])
    expect(summarize(events)).toBe('Errors began 02:14:07, 3 min after api (re)started at 02:11:02.')
  })

  it('says when nothing changed before the errors, and says nothing without errors', () => {
    const began = [{ at: '2026-11-22T02:14:07.000Z', kind: 'errors' as const, what: 'errors began' }]
    expect(summarize(began)).toBe('Errors began 02:14:07; medic saw no restart, migration, config change or deploy in the 2 h before.')
    expect(summarize([{ at: '2026-11-22T02:11:02.000Z', kind: 'restart', what: 'api (re)started' }])).toBeUndefined()
  })
})
