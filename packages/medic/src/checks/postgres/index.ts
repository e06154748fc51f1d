/** The postgres checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import blockedQueries from './blocked-queries.js'
import cacheHit from './cache-hit.js'
import connect from './connect.js'
import connections from './connections.js'
import deadlocks from './deadlocks.js'
import idleInTransaction from './idle-in-transaction.js'
import longRunningQueries from './long-running-queries.js'
import missingIndex from './missing-index.js'
import replication from './replication.js'
import sequences from './sequences.js'
import slowStatements from './slow-statements.js'
import xidWraparound from './xid-wraparound.js'

export const postgresChecks: AnyCheck[] = [
  connect,
  connections,
  idleInTransaction,
  longRunningQueries,
  blockedQueries,
  slowStatements,
  missingIndex,
  cacheHit,
  sequences,
  xidWraparound,
  deadlocks,
  replication,
]
