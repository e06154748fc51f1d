/** The redis checks, in the order they are listed. redis.connect comes first: it owns the connection failures. */
import type { AnyCheck } from '../../engine/check.js'
import clients from './clients.js'
import connect from './connect.js'
import evictions from './evictions.js'
import latency from './latency.js'
import memory from './memory.js'
import persistence from './persistence.js'
import slowlog from './slowlog.js'

export const redisChecks: AnyCheck[] = [connect, latency, memory, evictions, persistence, clients, slowlog]
