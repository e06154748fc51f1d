/** The config checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import hosts from './host-unresolvable.js'
import urls from './invalid-url.js'
import required from './missing-variable.js'
import port from './port-in-use.js'
import secrets from './weak-secret.js'

export const configChecks: AnyCheck[] = [required, secrets, urls, hosts, port]
