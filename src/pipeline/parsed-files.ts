import {stat} from 'node:fs/promises'
import {metadataStamp} from '../unchanged-run/stamp.js'

/**
 * Files this process parsed or wrote, kept parsed while the file on disk is the same one. A watch
 * loads the export state and the discovery caches before every export: parsing them again (2,000
 * sessions) cost more than exporting the one session that changed. Every write here replaces a
 * file whole under a new inode, so inode, size and time tell whether it is still the one kept.
 */
export class ParsedFiles<T> {
  private readonly kept = new Map<string, {stamp: string; value: T}>()

  /**
   * What identifies the file as it is now; null when it cannot be seen. Take it before reading:
   * a file replaced in between is then read again next time, never trusted while stale.
   */
  async stamp(file: string): Promise<string | null> {
    const info = await stat(file).catch(() => null)
    return info ? metadataStamp(info) : null
  }

  /** The value kept for the file when it still has this stamp. */
  get(file: string, stamp: string | null): T | undefined {
    const entry = this.kept.get(file)
    return stamp !== null && entry?.stamp === stamp ? entry.value : undefined
  }

  set(file: string, stamp: string | null, value: T): void {
    if (stamp === null) this.kept.delete(file)
    else this.kept.set(file, {stamp, value})
  }

  forget(file: string): void {
    this.kept.delete(file)
  }
}
