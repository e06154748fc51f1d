/** The host (system.*) and process (process.*) checks. */
import type { AnyCheck } from '../../engine/check.js'
import cpu from './cpu.js'
import disk from './disk.js'
import memory from './memory.js'
import processMemory from './process-memory.js'
import processRunning from './process-running.js'

export const systemChecks: AnyCheck[] = [cpu, memory, disk, processRunning, processMemory]
