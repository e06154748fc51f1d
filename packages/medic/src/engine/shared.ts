/** Per-run shared resources (one pool per target, one scrape per URL), disposed when the run ends. */
import type { SharedResources } from './check.js'

export class ResourceCache implements SharedResources {
  private entries = new Map<string, { value: Promise<unknown>; dispose?: (v: any) => Promise<void> | void }>()

  get<T>(key: string, create: () => Promise<T>, dispose?: (value: T) => Promise<void> | void): Promise<T> {
    const hit = this.entries.get(key)
    if (hit) return hit.value as Promise<T>
    const value = create()
    // A failed creation is remembered too: every check of the target sees the same failure, once.
    value.catch(() => {})
    this.entries.set(key, { value, dispose })
    return value
  }

  /** Close everything, never waiting longer than `timeoutMs` (a hung close must not hang medic). */
  async disposeAll(timeoutMs = 1000): Promise<void> {
    const closing = [...this.entries.values()].map(async ({ value, dispose }) => {
      if (!dispose) return
      try {
        await dispose(await value)
      } catch {
        // Creation failed or close failed: nothing to release.
      }
    })
    this.entries.clear()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(closing),
      new Promise<void>((r) => {
        timer = setTimeout(r, timeoutMs)
        timer.unref()
      }),
    ])
    clearTimeout(timer)
  }
}
