import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discover } from './discover.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'medic-discover-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const fresh = () => mkdtempSync(join(dir, 'case-'))

describe('discovery', () => {
  it('finds targets from URL variables and keeps ${VAR} references instead of secrets', async () => {
    const cwd = fresh()
    const env = {
      DATABASE_URL: 'postgresql+asyncpg://app:pw-secret@db.internal:5432/app',
      REDIS_URL: 'redis://:pw2@cache:6379/0',
      OPENAI_API_KEY: 'sk-test-abcdefghijklmnopqrstuvwxyz',
      QDRANT_URL: 'http://127.0.0.1:6333',
    }
    const found = await discover(cwd, env, { ports: [] })
    expect(found.raw.targets.db).toEqual({ kind: 'postgres', url: 'postgresql://app:pw-secret@db.internal:5432/app' })
    expect(found.raw.targets.cache).toEqual({ kind: 'redis', url: '${REDIS_URL}' })
    expect(found.raw.targets.openai).toEqual({ kind: 'external', preset: 'openai', key: '${OPENAI_API_KEY}' })
    expect(found.raw.targets.vectors).toEqual({ kind: 'qdrant', url: '${QDRANT_URL}' })
    expect(found.notes[0]).toBe('discovered: db (env DATABASE_URL), cache (env REDIS_URL), vectors (env QDRANT_URL), openai (env OPENAI_API_KEY), host (this machine)')
  })

  it('builds a DSN from DB_HOST/DB_USER/... in .env and infers MySQL from the port', async () => {
    const cwd = fresh()
    writeFileSync(join(cwd, '.env'), 'DB_HOST=db\nDB_PORT=3306\nDB_USER=logbook\nDB_PASSWORD=changeme\nDB_NAME=logbook\nSECRET_KEY=changeme\n')
    const found = await discover(cwd, {}, { ports: [] })
    expect(found.raw.targets.mysql).toEqual({ kind: 'mysql', url: 'mysql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${DB_NAME}' })
    expect(found.sources.mysql).toBe('.env DB_HOST')
    expect(found.raw.env).toMatchObject({ file: '.env', secrets: ['SECRET_KEY'] })
    expect(found.vars.DB_PASSWORD).toBe('changeme')
  })

  it('probes the default local ports and names the source', async () => {
    const cwd = fresh()
    const srv: Server = createServer((s) => s.destroy())
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as { port: number }).port
    try {
      const found = await discover(cwd, { PGUSER: 'app' }, { ports: [{ port, kind: 'postgres' }, { port: 1, kind: 'redis' }] })
      expect(found.raw.targets).toEqual({ postgres: { kind: 'postgres', url: `postgres://app@127.0.0.1:${port}/postgres` }, host: { kind: 'host' } })
      expect(found.notes[0]).toBe(`discovered: postgres (port ${port}), host (this machine)`)
    } finally {
      srv.close()
    }
  })

  it('reads datastores published by a compose file', async () => {
    const cwd = fresh()
    const srv: Server = createServer((s) => s.destroy())
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as { port: number }).port
    writeFileSync(join(cwd, 'docker-compose.yml'), `services:\n  mysql:\n    image: mariadb:10.11\n    ports: ["${port}:3306"]\n  app:\n    image: myapp\n`)
    try {
      const found = await discover(cwd, {}, { ports: [] })
      expect(found.raw.targets.mysql).toEqual({ kind: 'mysql', url: `mysql://root@127.0.0.1:${port}/` })
      expect(found.sources.mysql).toBe('compose service mysql')
    } finally {
      srv.close()
    }
  })

  it("compose's own tags (!reset, !override) are read without a warning on stderr", async () => {
    const cwd = fresh()
    const srv: Server = createServer((s) => s.destroy())
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const port = (srv.address() as { port: number }).port
    writeFileSync(join(cwd, 'compose.yaml'), `services:\n  cache:\n    image: redis:7\n    ports: !override ["${port}:6379"]\n  app:\n    image: myapp\n    ports: !reset []\n`)
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.message)
    process.on('warning', onWarning)
    try {
      const found = await discover(cwd, {}, { ports: [] })
      await new Promise((r) => setImmediate(r))
      expect(warnings).toEqual([])
      expect(found.sources.cache).toBe('compose service cache')
    } finally {
      process.off('warning', onWarning)
      srv.close()
    }
  })

  it('puts the migrations found in the project files on the database target', async () => {
    const cwd = fresh()
    mkdirSync(join(cwd, 'alembic', 'versions'), { recursive: true })
    writeFileSync(join(cwd, 'alembic.ini'), '[alembic]\nscript_location = alembic\n')
    const found = await discover(cwd, { DATABASE_URL: 'postgres://app@127.0.0.1:1/app' }, { ports: [] })
    expect(found.raw.targets.db.migrations).toEqual({ tool: 'alembic', dir: 'alembic/versions' })
    expect(found.notes.join('\n')).toContain('found alembic migrations in alembic/versions')
  })

  it('leaves out a target whose variable does not parse, and adds the env target so config.urls reports it', async () => {
    const found = await discover(fresh(), { DATABASE_URL: 'postgres://u:pw@127.0.0.1:99999/db', REDIS_URL: 'not a url' }, { ports: [] })
    expect(found.raw.targets.db).toBeUndefined()
    expect(found.raw.targets.cache).toBeUndefined()
    expect(found.raw.env).toMatchObject({ file: '.env' })
    expect(found.notes.join('\n')).toContain('not checking db from env DATABASE_URL')
    expect(found.notes.join('\n')).toContain('not checking REDIS_URL: not a postgres, mysql or redis URL')
  })

  it('always adds this host, and says plainly when it found nothing else', async () => {
    const found = await discover(fresh(), {}, { ports: [] })
    expect(found.raw.targets).toEqual({ host: { kind: 'host' } })
    expect(found.notes[0]).toMatch(/^discovered only this host: no DATABASE_URL/)
  })
})
