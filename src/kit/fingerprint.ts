import type {Stats} from 'node:fs'

/** A cheap change marker for a source file: any append or rewrite changes size or mtime. */
export function fileFingerprint(stats: Pick<Stats, 'size' | 'mtimeMs'>): string {
  return `${stats.size}:${Math.trunc(stats.mtimeMs)}`
}
