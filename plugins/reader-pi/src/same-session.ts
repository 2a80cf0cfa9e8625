import type {ReaderContext, SessionRef} from 'sessionsync'

/** The sessions of one file: its own first, then (with `--all-branches`) the branches it left. */
export interface FileSessions {
  file: string
  refs: SessionRef[]
}

const lastActive = (sessions: FileSessions) => Date.parse(sessions.refs[0].updatedAt ?? '') || 0

/**
 * One file for each session id. Pi 1.5's `/import` of a session whose folder was gone could
 * leave two files with the same id (`s.jsonl` and `s-1.jsonl`), the one continued holding the
 * later entries; the folder's listing says nothing of which. The file whose last entry is
 * newest is kept (the first listed, of two equally recent), and a warning names both.
 */
export function newestOfEachSession(files: FileSessions[], ctx: ReaderContext): FileSessions[] {
  const kept = new Map<string, FileSessions>()
  for (const sessions of files) {
    if (sessions.refs.length === 0) continue
    const id = sessions.refs[0].id
    const other = kept.get(id)
    const newer = other === undefined || lastActive(sessions) > lastActive(other) ? sessions : other
    if (other !== undefined) {
      const older = newer === sessions ? other : sessions
      ctx.warn(`${newer.file} and ${older.file} hold the same Pi session ${id}; exported from the first, whose last entry is newer, and the other left out`)
    }

    kept.set(id, newer)
  }

  return files.filter((sessions) => sessions.refs.length > 0 && kept.get(sessions.refs[0].id) === sessions)
}
