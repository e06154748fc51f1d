/** The logs checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import errorRate from './error-rate.js'
import knownError from './known-error.js'
import newErrorGroup from './new-error-group.js'
import unhandledException from './unhandled-exception.js'

export const logsChecks: AnyCheck[] = [errorRate, unhandledException, knownError, newErrorGroup]
