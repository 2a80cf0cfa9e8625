import type {PiEntry} from './format.js'

export interface Branch {
  /** The last entry of the branch. */
  leafId: string
  /** The entry of the active branch this one splits off from; null when it shares no entry with it. */
  splitFrom: string | null
  /** Root-to-leaf entries of the branch, the shared part included. */
  path: PiEntry[]
}

/**
 * Entries form a tree through `parentId`. Pi continues from the last entry in the file
 * (session-manager `_buildIndex`), so the conversation is the path from that entry to the root.
 */
export class SessionTree {
  private readonly byId = new Map<string, PiEntry>()
  private active: PiEntry[] | undefined

  constructor(private readonly entries: readonly PiEntry[]) {
    for (const entry of entries) this.byId.set(entry.id, entry)
  }

  get activeLeaf(): PiEntry | undefined {
    return this.entries.at(-1)
  }

  /** Root-to-leaf path; a missing parent ends it (Pi treats such an entry as a root), as does a cycle. */
  pathTo(leafId: string | undefined): PiEntry[] {
    const path: PiEntry[] = []
    const seen = new Set<string>()
    for (let entry = leafId === undefined ? undefined : this.byId.get(leafId); entry && !seen.has(entry.id); ) {
      seen.add(entry.id)
      path.push(entry)
      entry = entry.parentId === null ? undefined : this.byId.get(entry.parentId)
    }

    return path.reverse()
  }

  activePath(): PiEntry[] {
    this.active ??= this.pathTo(this.activeLeaf?.id)
    return this.active
  }

  /** The branches the user left: one per leaf other than the active one, in file order. */
  abandonedBranches(): Branch[] {
    const active = new Set(this.activePath().map((entry) => entry.id))
    const parents = new Set(this.entries.flatMap((entry) => (entry.parentId === null ? [] : [entry.parentId])))
    return this.entries
      .filter((entry) => !parents.has(entry.id) && !active.has(entry.id))
      .map((leaf) => {
        const path = this.pathTo(leaf.id)
        return {leafId: leaf.id, path, splitFrom: path.findLast((entry) => active.has(entry.id))?.id ?? null}
      })
  }
}
