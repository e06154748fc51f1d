/** The metrics checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'

export const metricsChecks: AnyCheck[] = []
