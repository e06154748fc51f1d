/** The mysql checks (MySQL and MariaDB), in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import aborted from './aborted.js'
import connect from './connect.js'
import connections from './connections.js'
import locks from './locks.js'
import processlist from './processlist.js'
import slowLog from './slow-log.js'

export const mysqlChecks: AnyCheck[] = [connect, connections, processlist, locks, aborted, slowLog]
