import path from 'node:path'
import type {ReaderContext} from 'sessionsync'

/**
 * Pi's experimental session store: run with `PERSISTENT_STORE=sqlite`, Pi keeps its sessions in
 * an SQLite database, `sessions.sqlite`, in its agent folder (in the `--session-dir` folder when
 * one is given), instead of JSONL files. It is in Pi's source, but no release up to 1.6.0 has it
 * (none of them mentions PERSISTENT_STORE); this reader does not read it, and says so.
 */
const STORE = 'sessions.sqlite'

/** Where Pi may keep such a store: its agent folder, and any folder it was told to put sessions in. */
export function sqliteStores(agent: string, folders: readonly string[]): string[] {
  return [...new Set([agent, ...folders].map((folder) => path.resolve(folder, STORE)))]
}

/** Stores already told of: `watch` locates the sessions again every few seconds. */
const told = new Set<string>()

/** Says, once for each store that exists, that the sessions in it are not exported. */
export function warnOfSqliteStores(stores: readonly string[], ctx: ReaderContext): void {
  for (const store of stores) {
    if (told.has(store) || !ctx.kit.statOrNull(store)?.isFile()) continue
    told.add(store)
    ctx.warn(`${store}: Pi's SQLite session store (PERSISTENT_STORE=sqlite) is not read yet: the sessions Pi kept there are missing from what sessionsync exports and lists; those in JSONL files are read`)
  }
}
