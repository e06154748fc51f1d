/** Multi-line records: every stack shape becomes one event; single-line logs stay one event per line. */
import { describe, expect, it } from 'vitest'
import { detect } from './detect.js'
import { parseException, topFrames, frameLabel } from './exceptions.js'
import { RecordAssembler } from './multiline.js'

function records(text: string): { first: string; rest: string[] | null; line: number }[] {
  const lines = text.split('\n')
  const parser = detect(lines.slice(0, 64))
  const out: { first: string; rest: string[] | null; line: number }[] = []
  const a = new RecordAssembler(parser, (first, rest, line) => out.push({ first, rest, line }))
  lines.forEach((l, i) => a.push(l, i + 1))
  a.flush()
  return out
}

const PY_LOGGED = `2026-11-22 02:00:00,001 INFO app: start
2026-11-22 02:00:01,002 ERROR app.api: request failed
Traceback (most recent call last):
  File "/app/app/api/users.py", line 41, in get_user
    return serialize(user)
  File "/usr/local/lib/python3.12/site-packages/pydantic/main.py", line 10, in validate
    raise ValueError("bad")
ValueError: bad input 42
2026-11-22 02:00:02,003 INFO app: next`

const PY_CHAINED = `ERROR:app.worker:task failed
Traceback (most recent call last):
  File "/app/app/clients/bank.py", line 70, in fetch
    return self._get(url)
ConnectionError: upstream returned 503

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/app/worker/tasks.py", line 33, in sync_account
    raise SyncFailed(account_id) from None
app.worker.errors.SyncFailed: account 7 could not be synced
INFO:app.worker:next task`

const NODE = `2026-11-22T02:00:00.000Z error: unhandled
TypeError: Cannot read properties of undefined (reading 'email')
    at serialize (/app/src/serializers.js:12:30)
    at getUser (/app/src/api/users.js:40:10)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
2026-11-22T02:00:01.000Z info: ok`

const JAVA = `2026-11-22 02:00:00.000 ERROR [main] c.a.OrderService - order failed
org.springframework.dao.DataAccessResourceFailureException: could not get connection
\tat org.springframework.jdbc.support.X.translate(X.java:100)
\tat com.acme.orders.OrderRepository.save(OrderRepository.java:55)
\tat com.acme.orders.OrderService.place(OrderService.java:31)
Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.
\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)
\t... 12 more
2026-11-22 02:00:01.000 INFO [main] c.a.OrderService - next`

describe('multi-line records', () => {
  it('a logged Python traceback is one event with its log line', () => {
    const r = records(PY_LOGGED)
    expect(r).toHaveLength(3)
    expect(r[1].first).toContain('request failed')
    expect(r[1].rest?.at(-1)).toBe('ValueError: bad input 42')
    const e = parseException(r[1].rest!.join('\n'))!
    expect(e.type).toBe('ValueError')
    expect(topFrames(e).map(frameLabel)).toEqual(['api/users.py:get_user'])
  })
  it('chained tracebacks stay together and keep the chain', () => {
    const r = records(PY_CHAINED)
    expect(r).toHaveLength(2)
    const e = parseException(r[0].rest!.join('\n'))!
    expect(e.type).toBe('app.worker.errors.SyncFailed')
    expect(e.chain).toEqual(['ConnectionError'])
    expect(topFrames(e).map(frameLabel)).toEqual(['worker/tasks.py:sync_account'])
  })
  it('a Node stack after an error line; node:internal frames set aside', () => {
    const r = records(NODE)
    expect(r).toHaveLength(2)
    const e = parseException(r[0].rest!.join('\n'))!
    expect(e.type).toBe('TypeError')
    expect(topFrames(e).map(frameLabel)).toEqual(['src/serializers.js:serialize', 'api/users.js:getUser'])
  })
  it('a Java stack with Caused by:, JDK/framework frames set aside', () => {
    const r = records(JAVA)
    expect(r).toHaveLength(2)
    const e = parseException(r[0].rest!.join('\n'))!
    expect(e.type).toBe('org.springframework.dao.DataAccessResourceFailureException')
    expect(e.chain).toEqual(['java.sql.SQLTransientConnectionException'])
    expect(topFrames(e).map(frameLabel)[0]).toBe('com.acme.orders.OrderRepository:save')
  })
  it('a raw uncaught traceback after an info line is its own record', () => {
    const text = `INFO:     Started server process [1]\nTraceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\n    import missing\nModuleNotFoundError: No module named 'missing'\nINFO:     next`
    const r = records(text)
    expect(r.map((x) => x.first)).toEqual(['INFO:     Started server process [1]', 'Traceback (most recent call last):', 'INFO:     next'])
    expect(parseException([r[1].first, ...r[1].rest!].join('\n'))!.type).toBe('ModuleNotFoundError')
  })
  it('single-line system logs are one record per line', () => {
    const text = ['081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating', 'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186', '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected', 'ValueError-looking text in a plain line: not a stack'].join('\n')
    expect(records(text)).toHaveLength(4)
  })
})

describe('records of a timestamped format whose time does not parse', () => {
  it('a line with the head of a timestamp starts a record; a line without one continues', () => {
    const text = [
      ...Array.from({ length: 20 }, (_, i) => `2026-11-22 01:59:${String(i + 10)},000 INFO app: tick ${i}`),
      '2026-11-22 02:00:00,001 INFO app: start',
      '2026-11-22 02:00:01,002 ERROR app: payload rejected:',
      '{"id": 7,',
      ' "name": "x"}',
      // an hour that cannot be: the time does not parse, but this is a record of its own
      '2026-11-22 25:00:02,003 INFO app: clock went wrong',
      '2026-11-22 02:00:03,004 INFO app: next',
    ].join('\n')
    const r = records(text)
    expect(r.slice(20).map((x) => x.line)).toEqual([21, 22, 25, 26])
    expect(r[21].rest).toEqual(['{"id": 7,', ' "name": "x"}'])
  })

  it('HealthApp writes single-digit seconds: each line is its own record', () => {
    const text = ['20171223-22:15:59:865|Step_LSC|30002312|onExtend:1514038560000 1 0 4', '20171223-22:16:0:119|Step_LSC|30002312|processHandleBroadcastAction', '20171223-22:16:0:150|Step_SPUtils|30002312| getTodayTotalDetailSteps = 1514038440000##7053'].join('\n')
    expect(records(text).map((x) => x.line)).toEqual([1, 2, 3])
  })
})
