/** The metrics checks: one scrape (or Prometheus API) per target, shared. */
import type { AnyCheck } from '../../engine/check.js'
import dependencies from './dependencies.js'
import errors from './errors.js'
import latency from './latency.js'
import pool from './pool.js'
import scrape from './scrape.js'

export const metricsChecks: AnyCheck[] = [scrape, latency, errors, pool, dependencies]
