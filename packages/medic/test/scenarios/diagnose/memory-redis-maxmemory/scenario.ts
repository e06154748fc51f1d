/**
 * Memory: Redis sits at its maxmemory (4 MB, allkeys-lru) and evicts keys to take new writes:
 * the cache holds more than fits, so it keeps throwing away what the app just cached.
 */
import { startRedis } from '../../../helpers/redis-server.js'
import type { Scenario } from '../harness.js'

const PASSWORD = 'lru-pw-Kc29Wd7s'

export default {
  symptom: 'memory',
  fault: 'Redis at maxmemory, evicting keys',
  expectedTopCause: 'redis-memory',
  expectedFindings: { 'redis.memory-near-limit': 'warning', 'redis.evictions': 'warning' },
  async setup(w) {
    const redis = await startRedis({ password: PASSWORD, config: { maxmemory: '4mb', 'maxmemory-policy': 'allkeys-lru' } })
    w.onCleanup(() => redis.stop())
    const c = redis.admin()
    await c.connect()
    const blob = 'z'.repeat(20_000)
    const pipe = c.pipeline()
    for (let i = 0; i < 600; i++) pipe.set(`cache:report:${i}`, blob) // 12 MB into 4 MB
    await pipe.exec()
    c.disconnect()
    return {
      config: { targets: { cache: { kind: 'redis', url: redis.url() } } },
      secrets: [PASSWORD],
    }
  },
} satisfies Scenario
