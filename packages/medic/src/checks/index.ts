/** Every check medic knows, one family per folder. */
import type { AnyCheck } from '../engine/check.js'
import { authChecks } from './auth/index.js'
import { configChecks } from './config/index.js'
import { externalChecks } from './external/index.js'
import { httpChecks } from './http/index.js'
import { logsChecks } from './logs/index.js'
import { metricsChecks } from './metrics/index.js'
import { migrationsChecks } from './migrations/index.js'
import { mysqlChecks } from './mysql/index.js'
import { postgresChecks } from './postgres/index.js'
import { qdrantChecks } from './qdrant/index.js'
import { redisChecks } from './redis/index.js'
import { systemChecks } from './system/index.js'
import { tlsChecks } from './tls/index.js'

export const allChecks: AnyCheck[] = [
  ...httpChecks,
  ...postgresChecks,
  ...mysqlChecks,
  ...redisChecks,
  ...qdrantChecks,
  ...externalChecks,
  ...tlsChecks,
  ...configChecks,
  ...migrationsChecks,
  ...authChecks,
  ...logsChecks,
  ...metricsChecks,
  ...systemChecks,
]

export function findCheck(id: string): AnyCheck | undefined {
  return allChecks.find((c) => c.meta.id === id)
}

/** Every finding id some check can emit. */
export function knownFindingIds(): Set<string> {
  return new Set(allChecks.flatMap((c) => Object.keys(c.meta.findings)))
}
