import type {ExportState} from './state.js'
import {waitAfterWriting} from './write-budget.js'

/** At most this often, a watch saves what its exports recorded. */
export const WATCH_RECORDS_MS = 10_000

/**
 * On average, a watch writes its records at most this many bytes a second: a larger history's
 * are saved less often. 4 MB (1,300 sessions) every 20 s, 22 MB (9,000) every 110 s.
 */
export const RECORD_BYTES_PER_SECOND = 200_000

/**
 * What a watch's exports recorded and has not saved yet, carried from one export to the next.
 * A save writes the whole state file and index (4 MB for the bench's 2,000 sessions, 22 MB for
 * 9,000): made after every export, it had watch write megabytes a second while an agent worked;
 * made every 10 s, still 2 MB a second at 9,000 sessions. The first export after a quiet time
 * saves at once; the next ones once `everyMs` have passed, and the time the last save's bytes
 * take at `RECORD_BYTES_PER_SECOND`.
 */
export class PacedRecords {
  /** The state whose records are not saved yet: the next export holds them too. */
  pending: ExportState | null = null
  private savedAt = Number.NEGATIVE_INFINITY
  private gap: number

  constructor(readonly everyMs: number) {
    this.gap = everyMs
  }

  /** How long after the last save the next one is due. */
  get gapMs(): number {
    return this.gap
  }

  /** Whether a save now would follow the last one too soon. */
  get tooSoon(): boolean {
    return Date.now() < this.dueAt
  }

  /** When the records kept now are due to be saved. */
  get dueAt(): number {
    return this.savedAt + this.gap
  }

  /** The records were saved, in `bytes` (the state file's and the index's). */
  saved(bytes: number): void {
    this.savedAt = Date.now()
    this.gap = waitAfterWriting(bytes, RECORD_BYTES_PER_SECOND, this.everyMs)
    this.pending = null
  }
}
