/** A loaded, validated runbook: its data plus which checks it needs. */
import type { AnyCheck } from '../engine/check.js'
import type { TargetKind } from '../engine/types.js'

/** Families whose checks run on a target kind of another name. */
const KIND_OF_FAMILY: Record<string, string> = { config: 'env', system: 'host', auth: 'auth' }
import type { RunbookData } from './schema.js'

export class Runbook {
  constructor(
    readonly data: RunbookData,
    readonly file: string,
  ) {}

  get symptom() {
    return this.data.symptom
  }

  /** Does this runbook need this check? Families, target kinds and check ids as listed under `checks:`. */
  wants(check: AnyCheck): boolean {
    return this.data.checks.some(
      (c) => check.meta.id === c || check.meta.id.startsWith(`${c}.`) || check.meta.targets.includes((KIND_OF_FAMILY[c] ?? c) as TargetKind),
    )
  }

  matches(name: string): boolean {
    const n = name.toLowerCase()
    return this.data.symptom.toLowerCase() === n || this.data.aliases.some((a) => a.toLowerCase() === n)
  }
}
