/**
 * Everything an Analysis says, as plain data (identity and timings left out): what tests compare
 * when two ways of reading the same input must agree (ranges and one pass, WebAssembly and
 * JavaScript).
 */
import type { Analysis } from '../analyze.js'

const entries = <K, V>(m: Map<K, V>) => [...m.entries()]

export function analysisData(a: Analysis) {
  return {
    sources: a.sources.map(({ ranges: _, ...s }) => s),
    totals: (({ events, errors, warnings, byLevel, first, last, untimed, http }) => ({ events, errors, warnings, byLevel, first, last, untimed, http }))(a.totals),
    perMinute: entries(a.totals.perMinute),
    groups: a.groups.map((g) => ({
      id: g.id,
      ref: g.ref,
      kind: g.kind,
      title: g.title(),
      count: g.count,
      level: g.level,
      first: g.first,
      last: g.last,
      perMinute: entries(g.perMinute),
      example: g.example,
      services: [...g.services],
      sources: [...g.sources],
      known: entries(g.known),
    })),
    idOfRef: a.idOfRef,
    known: a.known.map((h) => ({ ...h, spec: h.spec.id, groups: [...h.groups].map((g) => g.id), perMinute: entries(h.perMinute) })),
    markers: a.markers,
    filtered: a.filtered,
  }
}
