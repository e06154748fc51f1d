// Shared by the benchmarks: wall time of a synchronous call, and the median of samples.
export function time(fn) {
  const t0 = performance.now()
  fn()
  return performance.now() - t0
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
