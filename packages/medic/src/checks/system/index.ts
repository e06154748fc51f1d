/** The system checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'

export const systemChecks: AnyCheck[] = []
