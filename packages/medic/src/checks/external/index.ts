/** The external checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'

export const externalChecks: AnyCheck[] = []
