/**
 * How long to wait, after writing `bytes` of a file that is rewritten whole again and again (the
 * state file, the index, the discovery caches), before writing it again: at least `minimumMs`, and
 * long enough that its writes average at most `bytesPerSecond`. Such a file grows with the history.
 */
export function waitAfterWriting(bytes: number, bytesPerSecond: number, minimumMs: number): number {
  return Math.max(minimumMs, (bytes / bytesPerSecond) * 1000)
}
