/**
 * Memory: a worker process (a real child node process) leaks: it keeps every job's 1 MB buffer in
 * a module-level array, so its RSS grows ~10 MB a second. Redis is healthy.
 */
import { spawn } from 'node:child_process'
import { REDIS_PASSWORD, type Scenario } from '../harness.js'

const LEAKER = `
const kept = []
setInterval(() => { if (kept.length < 400) kept.push(Buffer.alloc(1024 * 1024, kept.length)) }, 100)
console.log('worker started')
`

export default {
  symptom: 'memory',
  fault: 'a worker process keeps every job buffer (RSS +10 MB/s)',
  expectedTopCause: 'process-leak',
  expectedFindings: { 'process.memory-growth': 'warning' },
  async setup(w) {
    const redis = await w.redis()
    const worker = spawn(process.execPath, ['-e', LEAKER], { stdio: ['ignore', 'pipe', 'inherit'] })
    w.onCleanup(() => worker.kill('SIGKILL'))
    await new Promise<void>((resolve) => worker.stdout.once('data', () => resolve()))
    return {
      config: {
        targets: { worker: { kind: 'process', pid: worker.pid }, cache: { kind: 'redis', url: redis.url() } },
      },
      secrets: [REDIS_PASSWORD],
    }
  },
} satisfies Scenario
