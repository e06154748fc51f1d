/** The migrations checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import heads from './heads.js'
import status from './status.js'

export const migrationsChecks: AnyCheck[] = [heads, status]
