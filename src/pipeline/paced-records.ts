import type {ExportState} from './state.js'

/** At most this often, a watch saves what its exports recorded. */
export const WATCH_RECORDS_MS = 10_000

/**
 * What a watch's exports recorded and has not saved yet, carried from one export to the next.
 * A save writes the whole state file and index (4 MB for the bench's 2,000 sessions, 22 MB for
 * 9,000): made after every export, it had watch write megabytes a second while an agent worked.
 * The first export after a quiet time saves at once; the next ones at most every `everyMs`.
 */
export class PacedRecords {
  /** The state whose records are not saved yet: the next export holds them too. */
  pending: ExportState | null = null
  private savedAt = Number.NEGATIVE_INFINITY

  constructor(readonly everyMs: number) {}

  /** Whether a save now would follow the last one sooner than `everyMs`. */
  get tooSoon(): boolean {
    return Date.now() - this.savedAt < this.everyMs
  }

  /** When the records kept now are due to be saved. */
  get dueAt(): number {
    return this.savedAt + this.everyMs
  }

  saved(): void {
    this.savedAt = Date.now()
    this.pending = null
  }
}
