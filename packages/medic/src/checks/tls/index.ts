/** The tls checks, in the order they are listed. tls.expiry comes first: it reports a dead endpoint. */
import type { AnyCheck } from '../../engine/check.js'
import chain from './chain.js'
import expiry from './expiry.js'
import hostname from './hostname.js'
import protocol from './protocol.js'

export const tlsChecks: AnyCheck[] = [expiry, hostname, chain, protocol]
