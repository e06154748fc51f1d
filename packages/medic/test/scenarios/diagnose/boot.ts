/**
 * The start-up of the app in the startup scenarios, as a real service does it: read .env, refuse
 * weak secrets in production, bind the port. A failure is logged with its stack and rethrown.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { parseEnv } from 'node:util'
import type { AppLog } from './harness.js'

const DEFAULTS = ['changeme', 'change-me-in-production', 'secret', 'your-secret-key']

export async function boot(envFile: string, log: AppLog): Promise<{ close(): Promise<void> }> {
  log.info('Starting api (production)')
  try {
    const env = parseEnv(readFileSync(envFile, 'utf8'))
    for (const name of ['SECRET_KEY', 'JWT_SECRET_KEY']) {
      const v = env[name] ?? ''
      if (DEFAULTS.includes(v.toLowerCase()) || v.length < 32) throw new Error(`SECURITY: ${name} is weak or a default value; refusing to start in production`)
    }
    const server = createServer((_req, res) => res.end('ok'))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(Number(env.PORT), '127.0.0.1', resolve)
    })
    log.info(`Server listening on 127.0.0.1:${env.PORT}`)
    return { close: () => new Promise((r) => server.close(() => r())) }
  } catch (err) {
    log.error(`startup failed: ${(err as Error).message}`, err)
    throw err
  }
}
