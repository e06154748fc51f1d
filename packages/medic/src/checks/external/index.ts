/** The external checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import auth from './auth.js'
import connect from './connect.js'
import latency from './latency.js'
import limits from './limits.js'

export const externalChecks: AnyCheck[] = [connect, auth, limits, latency]
