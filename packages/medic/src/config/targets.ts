/**
 * The `targets:` entries of medic.yaml, one strict schema per kind. Unknown keys are errors so a
 * typo (`heath:`) is caught instead of silently ignored.
 */
import { z } from 'zod'
import { EMBEDDING_MODELS, modelDimensions } from '../checks/qdrant/embedding-models.js'

const thresholds = z.record(z.string(), z.record(z.string(), z.unknown())).default({})

const common = {
  thresholds,
  /** Finding or check ids silenced for this target only. */
  disable: z.array(z.string()).default([]),
}

const url = (schemes: string[]) =>
  z
    .string()
    .min(1, 'must not be empty')
    .superRefine((value, ctx) => {
      let parsed: URL
      try {
        parsed = new URL(value)
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a valid URL (expected ${schemes[0]}://host:port/...)` })
        return
      }
      const scheme = parsed.protocol.replace(/:$/, '')
      if (!schemes.includes(scheme)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has scheme "${scheme}", expected ${schemes.join(' or ')}` })
      }
    })

const migrations = z
  .object({
    tool: z.enum(['alembic', 'knex', 'prisma', 'typeorm', 'django', 'rails', 'flyway']).default('alembic'),
    dir: z.string().describe('folder of migration scripts (Alembic: the versions/ folder)'),
  })
  .strict()

export const httpTarget = z
  .object({
    kind: z.literal('http'),
    url: url(['http', 'https']),
    health: z.array(z.string()).default(['/health']),
    headers: z.record(z.string(), z.string()).default({}),
    /** Accept a self-signed certificate (tls.* checks still report it). */
    insecure: z.boolean().default(false),
    /** PEM file of extra CA certificates to trust (a private CA), on top of the system roots. */
    ca: z.string().min(1).optional(),
    ...common,
  })
  .strict()

/** Query options whose value is a fixed set: a typo must be a config error, not a TLS "outage". */
const queryChoice = (name: string, choices: string[], caseless = false) => (value: string, ctx: z.RefinementCtx) => {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    return // already reported by url()
  }
  const v = u.searchParams.get(name)
  if (v !== null && !choices.some((c) => (caseless ? c.toLowerCase() === v.toLowerCase() : c === v))) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has ${name}=${v}, expected one of ${choices.join(', ')}` })
  }
}

export const postgresTarget = z
  .object({
    kind: z.literal('postgres'),
    url: url(['postgres', 'postgresql']).superRefine(queryChoice('sslmode', ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'])),
    migrations: migrations.optional(),
    ...common,
  })
  .strict()

/** What a WHATWG URL parser accepts but a MySQL DSN cannot mean (no host, no user, `/db/extra`). */
const mysqlUrlShape = (value: string, ctx: z.RefinementCtx) => {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    return // already reported by url()
  }
  const expected = '(expected mysql://user:password@host:3306/database)'
  if (!u.hostname && !u.searchParams.get('socket')) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has no host ${expected}` })
  if (!u.username) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has no user ${expected}` })
  if (u.pathname.replace(/^\//, '').includes('/')) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `path "${u.pathname}" is not one database name ${expected}` })
  }
}

export const mysqlTarget = z
  .object({
    kind: z.literal('mysql'),
    url: url(['mysql', 'mariadb'])
      .superRefine(mysqlUrlShape)
      .superRefine(queryChoice('ssl-mode', ['DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'], true)),
    migrations: migrations.optional(),
    ...common,
  })
  .strict()

export const redisTarget = z
  .object({
    kind: z.literal('redis'),
    url: url(['redis', 'rediss']).superRefine((value, ctx) => {
      // ioredis would silently fall back to db 0 / port 6379 on these; say so instead.
      let u: URL
      try {
        u = new URL(value)
      } catch {
        return
      }
      if (!u.hostname) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'has no host (expected redis://[user:password@]host:6379[/db])' })
      if (u.pathname && u.pathname !== '/' && !/^\/\d+$/.test(u.pathname)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has path "${u.pathname}", expected a database number such as /0` })
      }
    }),
    /** TLS settings for rediss:// URLs. */
    tls: z
      .object({
        ca: z.string().optional().describe('CA certificate: PEM text or a path to a PEM file'),
        servername: z.string().optional(),
        /** Accept a certificate that does not verify (self-signed). */
        insecure: z.boolean().default(false),
      })
      .strict()
      .optional(),
    ...common,
  })
  .strict()

export const qdrantTarget = z
  .object({
    kind: z.literal('qdrant'),
    url: url(['http', 'https']),
    apiKey: z.string().optional(),
    collections: z
      .record(
        z.string(),
        z
          .object({
            size: z.number().int().positive().optional(),
            /** Embedding model whose output size the collection must have (`text-embedding-3-large` → 3072); `size` wins when both are set. */
            model: z.string().min(1).optional(),
            /** Named vector to compare when the collection has several (`vectors: { text: {...}, image: {...} }`). */
            vector: z.string().min(1).optional(),
            distance: z.enum(['Cosine', 'Euclid', 'Dot', 'Manhattan']).optional(),
          })
          .strict()
          .superRefine((c, ctx) => {
            if (c.model !== undefined && c.size === undefined && modelDimensions(c.model) === undefined) {
              ctx.addIssue({
                code: z.ZodIssueCode.custom,
                path: ['model'],
                message: `unknown embedding model "${c.model}": set size: to its dimensions (known models: ${Object.keys(EMBEDDING_MODELS).slice(0, 3).join(', ')}, ...)`,
              })
            }
          }),
      )
      .default({}),
    ...common,
  })
  .strict()

export const externalTarget = z
  .object({
    kind: z.literal('external'),
    preset: z.enum(['openai', 'generic']).default('generic'),
    url: url(['http', 'https']).optional(),
    key: z.string().optional(),
    /** Header carrying the key for a generic API (default `Authorization: Bearer <key>`). */
    authHeader: z.string().optional(),
    /** Cheap authenticated GET used as the probe (OpenAI: /models). */
    probePath: z.string().optional(),
    ...common,
  })
  .strict()

export const tlsTarget = z
  .object({
    kind: z.literal('tls'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(443),
    servername: z.string().optional(),
    /** PEM file of extra CA certificates to trust (a private CA), on top of the system roots. */
    ca: z.string().min(1).optional(),
    ...common,
  })
  .strict()

export const processTarget = z
  .object({
    kind: z.literal('process'),
    pid: z.number().int().positive().optional(),
    name: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    container: z.string().optional(),
    ...common,
  })
  .strict()

export const hostTarget = z.object({ kind: z.literal('host'), ...common }).strict()

export const targetSchema = z.discriminatedUnion('kind', [
  httpTarget,
  postgresTarget,
  mysqlTarget,
  redisTarget,
  qdrantTarget,
  externalTarget,
  tlsTarget,
  processTarget,
  hostTarget,
])

export type TargetConfig = z.infer<typeof targetSchema>
