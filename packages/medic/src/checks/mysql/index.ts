/** The mysql checks (MySQL and MariaDB), in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import connect from './connect.js'
import connections from './connections.js'

export const mysqlChecks: AnyCheck[] = [connect, connections]
