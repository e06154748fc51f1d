/** One live line on stderr while checks run (only on a terminal; scripts get clean stderr). */
import type { CheckResult } from '../engine/types.js'

export function progressReporter(write: (s: string) => void, enabled: boolean) {
  let last = 0
  let shown = false
  return {
    update(e: { done: number; total: number; running: string[]; result?: CheckResult }) {
      if (!enabled) return
      const now = Date.now()
      if (now - last < 80 && e.done < e.total) return
      last = now
      const running = e.running.slice(0, 3).join(', ')
      const line = `checking ${e.done}/${e.total}${running ? ` · ${running}${e.running.length > 3 ? ` +${e.running.length - 3}` : ''}` : ''}`
      write(`\r\x1b[2K${line.slice(0, 120)}`)
      shown = true
    },
    clear() {
      if (enabled && shown) write('\r\x1b[2K')
    },
  }
}
