/** Readers of Linux /proc and statfs: plain numbers, no interpretation (the checks decide). */
import { readdir, readFile, readlink, statfs } from 'node:fs/promises'

export interface CpuTimes {
  idle: number
  total: number
}

export async function cpuTimes(): Promise<CpuTimes> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] // "cpu  user nice system idle iowait irq softirq steal ..."
  const v = line.trim().split(/\s+/).slice(1).map(Number)
  const idle = (v[3] ?? 0) + (v[4] ?? 0) // idle + iowait
  // guest and guest_nice are already counted in user and nice.
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0)
  return { idle, total }
}

/** Busy share of all CPU time between two samples, minus `excludeTicks` of known busy time (medic's own). */
export function busyPct(a: CpuTimes, b: CpuTimes, excludeTicks = 0): number {
  const total = b.total - a.total
  const busy = Math.max(0, total - (b.idle - a.idle) - excludeTicks)
  return total > 0 ? (busy / total) * 100 : 0
}

export async function memInfo(): Promise<{ totalKb: number; availableKb: number; swapTotalKb: number; swapFreeKb: number }> {
  const text = await readFile('/proc/meminfo', 'utf8')
  const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0)
  return { totalKb: get('MemTotal'), availableKb: get('MemAvailable'), swapTotalKb: get('SwapTotal'), swapFreeKb: get('SwapFree') }
}

/** Filesystems that hold data (not proc, sysfs, tmpfs...). */
const REAL_FS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'f2fs', 'vfat', 'exfat', 'ntfs', 'ntfs3', 'overlay', 'jfs', 'reiserfs', 'nfs', 'nfs4', 'cifs', 'fuseblk'])

export async function mounts(): Promise<{ device: string; mountpoint: string; fstype: string }[]> {
  const text = await readFile('/proc/mounts', 'utf8')
  const seen = new Set<string>()
  const out: { device: string; mountpoint: string; fstype: string }[] = []
  for (const line of text.split('\n')) {
    const [device, mp, fstype] = line.split(' ')
    if (!device || !REAL_FS.has(fstype)) continue
    const mountpoint = mp.replace(/\\040/g, ' ')
    // Bind mounts show the same device many times; report each device once.
    if (seen.has(device) && fstype !== 'overlay') continue
    seen.add(device)
    out.push({ device, mountpoint, fstype })
  }
  return out
}

/** Used share as `df` shows it: used / (used + available to unprivileged users). */
export async function diskUsage(path: string): Promise<{ usedPct: number; usedBytes: number; sizeBytes: number; availBytes: number }> {
  const s = await statfs(path)
  const used = (s.blocks - s.bfree) * s.bsize
  const avail = s.bavail * s.bsize
  const denom = used + avail
  return { usedPct: denom > 0 ? (used / denom) * 100 : 0, usedBytes: used, sizeBytes: s.blocks * s.bsize, availBytes: avail }
}

export async function rssKb(pid: number): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/status`, 'utf8')
    return Number(/^VmRSS:\s+(\d+)/m.exec(text)?.[1] ?? 0)
  } catch {
    return undefined
  }
}

export async function processName(pid: number): Promise<{ comm: string; cmdline: string } | undefined> {
  try {
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim()
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0+$/, '').replace(/\0/g, ' ')
    return { comm, cmdline }
  } catch {
    return undefined
  }
}

export async function allPids(): Promise<number[]> {
  return (await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map(Number)
}

/** Pids whose comm equals `name` or whose command line contains it. */
export async function pidsByName(name: string, exclude: number[] = [process.pid]): Promise<number[]> {
  const out: number[] = []
  for (const pid of await allPids()) {
    if (exclude.includes(pid)) continue
    const p = await processName(pid)
    if (p && (p.comm === name || p.cmdline.split(' ').some((arg) => arg === name || arg.endsWith(`/${name}`)))) out.push(pid)
  }
  return out
}

export interface Holder {
  pid: number
  command: string
}

/** Inodes of sockets listening on `port` (state 0A = LISTEN) from /proc/net/tcp and tcp6. */
export async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>()
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length < 10) continue
      if (cols[1].endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9])
    }
  }
  return inodes
}

/** Processes holding one of those sockets; processes we may not inspect are skipped silently. */
export async function socketHolders(inodes: Set<string>, signal: AbortSignal): Promise<Holder[]> {
  if (inodes.size === 0) return []
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`))
  const holders: Holder[] = []
  let pids: string[]
  try {
    pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p))
  } catch {
    return []
  }
  for (const pid of pids) {
    if (signal.aborted) break
    let fds: string[]
    try {
      fds = await readdir(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let link: string
      try {
        link = await readlink(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      if (!wanted.has(link)) continue
      let command = '?'
      try {
        const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean)
        command = cmdline.length ? cmdline.join(' ').slice(0, 160) : (await readFile(`/proc/${pid}/comm`, 'utf8')).trim()
      } catch {
        // The process ended meanwhile.
      }
      holders.push({ pid: Number(pid), command })
      break
    }
  }
  return holders
}

/** The pid listening on a TCP port, when /proc lets us see it; `listening` even when the owner is hidden. */
export async function listenerOf(port: number, signal: AbortSignal = new AbortController().signal): Promise<{ listening: boolean; pid?: number }> {
  const inodes = await listeningInodes(port)
  if (inodes.size === 0) return { listening: false }
  const [holder] = await socketHolders(inodes, signal)
  return holder ? { listening: true, pid: holder.pid } : { listening: true }
}

let bootTimeMs: number | undefined
/** When a process started, from /proc/<pid>/stat (clock ticks after boot; 100 per second on Linux). */
export async function startedAt(pid: number): Promise<Date | undefined> {
  try {
    if (bootTimeMs === undefined) bootTimeMs = Number(/^btime (\d+)/m.exec(await readFile('/proc/stat', 'utf8'))?.[1]) * 1000
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[19]) // field 22 overall
    return new Date(bootTimeMs + (ticks / 100) * 1000)
  } catch {
    return undefined
  }
}
