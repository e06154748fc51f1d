/** The http checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import exposure from './exposure.js'
import health from './health.js'
import latency from './latency.js'
import reachable from './reachable.js'

export const httpChecks: AnyCheck[] = [reachable, health, latency, exposure]
