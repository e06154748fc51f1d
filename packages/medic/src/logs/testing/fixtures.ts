/** Fixture logs shared by tests: one request spread over three services (JSON api, logfmt worker, plain Python billing). */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const RID = '4bf92f3577b34da6a3ce929d0e0e4736'
const t = (s: number, ms = 0) => Date.UTC(2026, 10, 22, 2, 0, s, ms)
const iso = (s: number, ms = 0) => new Date(t(s, ms)).toISOString()
// Python's asctime has no zone: medic reads it as local time, so write local time.
const py = (s: number, ms: number) => {
  const d = new Date(t(s, ms))
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`
}

/** Writes the three service logs into dir; other requests interleave. */
export function writeThreeServices(dir: string): string[] {
  const api = [
    JSON.stringify({ level: 30, time: t(0, 0), name: 'api', reqId: 'other-1', msg: 'request received' }),
    JSON.stringify({ level: 30, time: t(0, 10), name: 'api', traceparent: `00-${RID}-00f067aa0ba902b7-01`, msg: 'POST /checkout received' }),
    JSON.stringify({ level: 30, time: t(0, 25), name: 'api', reqId: RID, msg: 'calling worker' }),
    JSON.stringify({ level: 50, time: t(3, 400), name: 'api', reqId: RID, msg: 'request failed', res: { statusCode: 502 } }),
  ]
  const worker = [
    `time=${iso(0, 40)} level=info service=worker msg="job queued" request_id=${RID}`,
    `time=${iso(0, 45)} level=info service=worker msg="job queued" request_id=other-2`,
    `time=${iso(0, 60)} level=info service=worker msg="charging card" request_id=${RID}`,
  ]
  const billing = [
    `${py(2, 300)} INFO billing.api: charge started [request_id=${RID}]`,
    `${py(2, 350)} ERROR billing.api: charge failed [request_id=${RID}]`,
    'Traceback (most recent call last):',
    '  File "/srv/billing/charge.py", line 20, in charge',
    '    gateway.capture(amount)',
    'billing.errors.GatewayTimeout: card gateway did not answer in 2000 ms',
    `${py(2, 400)} INFO billing.api: charge started [request_id=other-3]`,
  ]
  const files = [join(dir, 'api.jsonl'), join(dir, 'worker.log'), join(dir, 'billing.log')]
  writeFileSync(files[0], api.join('\n') + '\n')
  writeFileSync(files[1], worker.join('\n') + '\n')
  writeFileSync(files[2], billing.join('\n') + '\n')
  return files
}

