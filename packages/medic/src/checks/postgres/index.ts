/** The postgres checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import blockedQueries from './blocked-queries.js'
import connect from './connect.js'
import connections from './connections.js'
import idleInTransaction from './idle-in-transaction.js'
import longRunningQueries from './long-running-queries.js'

export const postgresChecks: AnyCheck[] = [connect, connections, idleInTransaction, longRunningQueries, blockedQueries]
