/**
 * Will not start because its port is taken: an old instance (a real child process) still listens
 * on PORT, so the new one fails with EADDRINUSE. Secrets and databases are fine.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { APP_PASSWORD } from '../../../helpers/pg-cluster.js'
import { freePort } from '../../../helpers/ports.js'
import { boot } from '../boot.js'
import { appLog, REDIS_PASSWORD, type Scenario } from '../harness.js'

const SECRET = 'a7c9e2f4b6d8d4e6a8c1f3b5d7e9a0c2e4f6b8d1a3c5e7f9b0d2a4c6e8f1b3d5'
const JWT = 'e8f1b3d5a7c9e2f4b6d8d4e6a8c1f3b5d7e9a0c2e4f6b8d1a3c5e7f9b0d2a4c6'

export default {
  symptom: 'startup',
  fault: 'an old instance still listens on PORT',
  expectedTopCause: 'port-in-use',
  expectedFindings: { 'config.port-in-use': 'critical', 'logs.unhandled-exception': 'critical' },
  async setup(w) {
    const [db, redis, port] = await Promise.all([w.pg(), w.redis(), freePort()])
    const old = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] })
    w.onCleanup(() => old.kill('SIGKILL'))
    await new Promise<void>((resolve, reject) => {
      old.stdout.once('data', () => resolve())
      old.once('exit', (code) => reject(new Error(`holder exited ${code}`)))
    })
    const envFile = join(w.dir, '.env')
    writeFileSync(envFile, [`SECRET_KEY=${SECRET}`, `JWT_SECRET_KEY=${JWT}`, `DATABASE_URL=${db.url()}`, `REDIS_URL=${redis.url()}`, `PORT=${port}`].join('\n') + '\n')
    const log = appLog(join(w.dir, 'api.log'))
    const started = await boot(envFile, log).catch(() => undefined)
    if (started) throw new Error('the app should not have started')
    return {
      config: {
        environment: 'production',
        env: { file: '.env', required: ['DATABASE_URL', 'REDIS_URL'], secrets: ['SECRET_KEY', 'JWT_SECRET_KEY'] },
        targets: { db: { kind: 'postgres', url: db.url() }, cache: { kind: 'redis', url: redis.url() } },
        logs: [{ file: log.file }],
      },
      secrets: [APP_PASSWORD, REDIS_PASSWORD, SECRET, JWT],
    }
  },
} satisfies Scenario
