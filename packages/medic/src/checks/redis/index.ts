/** The redis checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'

export const redisChecks: AnyCheck[] = []
