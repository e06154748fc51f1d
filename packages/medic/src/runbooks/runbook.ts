/** A loaded, validated runbook: its data plus which checks it needs. */
import type { AnyCheck } from '../engine/check.js'
import type { RunbookData } from './schema.js'

export class Runbook {
  constructor(
    readonly data: RunbookData,
    readonly file: string,
  ) {}

  get symptom() {
    return this.data.symptom
  }

  /** Does this runbook need this check? Families and ids as listed under `checks:`. */
  wants(check: AnyCheck): boolean {
    return this.data.checks.some((c) => check.meta.id === c || check.meta.id.startsWith(`${c}.`))
  }

  matches(name: string): boolean {
    const n = name.toLowerCase()
    return this.data.symptom.toLowerCase() === n || this.data.aliases.some((a) => a.toLowerCase() === n)
  }
}
