/**
 * Turn a validated config into the list of targets checks run against, and collect every secret
 * it holds so outputs can mask them. Besides the configured targets, the config's `env`, `auth`,
 * `logs` and `metrics` sections become targets of their own (kinds env, auth, logs, metrics).
 */
import { maskUrl, Redactor } from '../engine/redact.js'
import type { Target } from '../engine/types.js'
import type { MedicConfig } from './schema.js'
import type { TargetConfig } from './targets.js'

const SECRET_KEY = /pass(word)?|secret|token|key|credential/i

/** Every string under a secret-looking key, and every URL password, goes to the redactor. */
export function collectSecrets(value: unknown, redactor: Redactor, key = '', parent = ''): void {
  if (typeof value === 'string') {
    // `auth.apiKey.value` is the key itself although its own name says nothing.
    const secretByParent = /key|secret|token|password/i.test(parent) && key === 'value'
    if ((SECRET_KEY.test(key) && !/^(publicKey|keyFile|apiKeyVariable)$/.test(key)) || secretByParent) redactor.add(value)
    if (value.includes('://')) redactor.addUrl(value)
    return
  }
  if (Array.isArray(value)) {
    // Arrays under a secret key (otherSecrets) are secrets; arrays of names (secrets: [JWT_SECRET_KEY]) are not.
    for (const v of value) collectSecrets(v, redactor, key === 'otherSecrets' ? key : '', key)
    return
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, redactor, k, key)
  }
}

/** Values of variables named as secrets, and of variables whose names look secret, are masked too. */
export function collectEnvSecrets(vars: Record<string, string | undefined>, names: string[], redactor: Redactor): void {
  for (const [name, value] of Object.entries(vars)) {
    if (!value) continue
    if (names.includes(name) || /PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|ENCRYPTION_KEY|SALT|CREDENTIAL/i.test(name)) redactor.add(value)
    if (/_URL$|_DSN$|^DATABASE_URL$/.test(name)) redactor.addUrl(value)
  }
}

export function addressOf(t: TargetConfig): string {
  switch (t.kind) {
    case 'tls':
      return `${t.host}:${t.port}`
    case 'process':
      return t.pid ? `pid ${t.pid}` : t.port ? `port ${t.port}` : t.container ? `container ${t.container}` : `process ${t.name ?? '?'}`
    case 'host':
      return 'this host'
    case 'external':
      return t.url ? maskUrl(t.url) : t.preset
    default:
      return maskUrl(t.url)
  }
}

export function targetFromConfig(id: string, t: TargetConfig, source: string): Target {
  const { thresholds, ...options } = t
  return { id, kind: t.kind, address: addressOf(t), options, thresholds, source }
}

export function resolveTargets(config: MedicConfig, source = 'config'): Target[] {
  const targets: Target[] = Object.entries(config.targets).map(([id, t]) => targetFromConfig(id, t, source))
  if (config.env) {
    targets.push({ id: 'env', kind: 'env', address: config.env.file, options: { ...config.env }, thresholds: {}, source })
  }
  if (config.auth) {
    targets.push({ id: 'auth', kind: 'auth', address: 'auth settings', options: { ...config.auth }, thresholds: {}, source })
  }
  if (config.logs.length > 0) {
    const address = config.logs.map((l) => ('file' in l ? l.file : `$ ${l.command}`)).join(', ')
    targets.push({ id: 'logs', kind: 'logs', address, options: { sources: config.logs }, thresholds: {}, source })
  }
  config.metrics.forEach((m, i) => {
    const { thresholds, ...options } = m
    const url = 'url' in m ? m.url : m.prometheus
    targets.push({ id: config.metrics.length > 1 ? `metrics-${i + 1}` : 'metrics', kind: 'metrics', address: maskUrl(url), options, thresholds, source })
  })
  return targets
}

export function buildRedactor(config: MedicConfig, vars: Record<string, string | undefined>): Redactor {
  const redactor = new Redactor()
  collectSecrets(config, redactor)
  collectEnvSecrets(vars, config.env?.secrets ?? [], redactor)
  return redactor
}
