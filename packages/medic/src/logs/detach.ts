/**
 * Strings kept past their line (examples, caches, templates) are copied first: a line is a slice of
 * the decoded block it was read from, and V8 keeps a slice's whole parent alive (64 KiB to 1 MiB
 * per block), so a few thousand kept slices could hold hundreds of megabytes of log text.
 */

/** A copy of `s` that refers to no other string (short strings are copies already). */
export function detached(s: string): string {
  // V8 makes slices of 13 characters or more; concatenating flattens into a new string
  return s.length < 13 ? s : (' ' + s).slice(1)
}
