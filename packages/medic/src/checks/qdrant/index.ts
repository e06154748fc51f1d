/** The qdrant checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import collections from './collections.js'
import connect from './connect.js'
import dimensions from './dimensions.js'
import status from './collection-status.js'

export const qdrantChecks: AnyCheck[] = [connect, collections, status, dimensions]
