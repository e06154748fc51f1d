/** A progress bar on stderr for inputs that take more than a moment: bytes, share done, lines/s. */

export interface Progress {
  update(p: { bytes: number; totalBytes: number; lines: number }): void
  done(): void
}

const NONE: Progress = { update() {}, done() {} }

/** Only when stderr is a terminal; appears after `delayMs` and redraws at most every 100 ms. */
export function progressBar(write: (s: string) => void, isTTY: boolean, delayMs = 500): Progress {
  if (!isTTY) return NONE
  const started = performance.now()
  let last = 0
  let shown = false
  return {
    update({ bytes, totalBytes, lines }) {
      const now = performance.now()
      if (now - started < delayMs || now - last < 100) return
      last = now
      shown = true
      const secs = (now - started) / 1000
      const rate = Math.round(lines / secs)
      const mb = (b: number) => `${(b / 1048576).toFixed(b < 10 * 1048576 ? 1 : 0)} MB`
      let bar = ''
      if (totalBytes > 0) {
        const share = Math.min(1, bytes / totalBytes)
        const w = 24
        const full = Math.round(share * w)
        bar = `[${'█'.repeat(full)}${'░'.repeat(w - full)}] ${Math.round(share * 100)}% ${mb(bytes)}/${mb(totalBytes)}`
      } else bar = mb(bytes)
      write(`\r\x1b[K${bar}  ${lines.toLocaleString('en-US')} lines  ${rate.toLocaleString('en-US')} lines/s`)
    },
    done() {
      if (shown) write('\r\x1b[K')
    },
  }
}
