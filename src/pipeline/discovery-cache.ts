import {existsSync} from 'node:fs'
import {z} from 'zod'
import type {DiscoveryMemo} from '../plugin-api.js'
import {safeSegment} from './names.js'
import {jsonObjectPieces, keptJson} from './json-pieces.js'
import {OutputFolder} from './output-folder.js'
import {ParsedFiles} from './parsed-files.js'
import {waitAfterWriting} from './write-budget.js'

const EntriesSchema = z.record(z.string(), z.object({fingerprint: z.string(), value: z.unknown()}))

const MemoFileSchema = z.object({
  version: z.literal(2),
  /**
   * The versions of sessionsync and of the reader's plugin that wrote it. A new version may read
   * more of a file than the old one did (a new record type): what the old one learned is not trusted.
   */
  builtBy: z.string(),
  /**
   * Entries per set of data folders the agent was found in (one HOME, one CLAUDE_CONFIG_DIR):
   * a run on one set keeps what was learned of the others, so alternating costs nothing.
   */
  scopes: z.record(z.string(), EntriesSchema),
})

type Entries = z.infer<typeof EntriesSchema>
type MemoFile = z.infer<typeof MemoFileSchema>
type Scopes = MemoFile['scopes']

/**
 * What a reader learned about its sources at discovery (a file's first records, its title),
 * kept per agent in sessionsync's cache folder so that any later run (`sync`, `list`, `watch`,
 * whatever the output folder) only looks at what changed. It holds nothing the agents' own
 * files do not, and stays on this machine, never in an export. Entries of the run's data folders
 * not asked for are dropped when it is saved: deleted sources do not linger.
 */
export class DiscoveryCache implements DiscoveryMemo {
  private readonly used: Entries = {}
  private changed = false

  private constructor(
    private readonly folder: OutputFolder | null,
    private readonly file: string,
    private readonly builtBy: string,
    private readonly scopes: Scopes,
  ) {}

  /** Without a cache folder, discovery remembers nothing between runs. */
  static async load(cacheDir: string | null, agent: string, builtBy: string): Promise<DiscoveryCache> {
    const file = `discovery/${safeSegment(agent)}.json`
    if (cacheDir === null) return new DiscoveryCache(null, file, builtBy, {})
    const folder = new OutputFolder(cacheDir)
    const where = folder.resolve(file)
    const stamp = await parsedMemos.stamp(where)
    const kept = parsedMemos.get(where, stamp)
    if (kept?.builtBy === builtBy) return new DiscoveryCache(folder, file, builtBy, kept.scopes)
    try {
      const parsed = MemoFileSchema.safeParse(JSON.parse((await folder.read(file)) ?? ''))
      if (parsed.success && parsed.data.builtBy === builtBy) {
        parsedMemos.set(where, stamp, parsed.data)
        return new DiscoveryCache(folder, file, builtBy, parsed.data.scopes)
      }
    } catch {
      // Missing or corrupt: discovery simply looks at everything again.
    }

    return new DiscoveryCache(folder, file, builtBy, {})
  }

  /**
   * Looked up in every scope: a file is known wherever it was seen. A lookup per scope (mostly one),
   * not one merged copy of them: a watch loads the cache before each export.
   */
  get(key: string, fingerprint: string): unknown {
    for (const scope in this.scopes) {
      const entry = this.scopes[scope][key]
      if (entry?.fingerprint !== fingerprint) continue
      this.used[key] = entry
      return entry.value
    }

    return undefined
  }

  set(key: string, fingerprint: string, value: unknown): void {
    this.used[key] = {fingerprint, value}
    this.changed = true
  }

  /**
   * Keeps this run's entries as the scope of `roots` (where discovery looked). Written only when
   * something changed or went away, so a quiet re-run writes nothing. Scopes whose folders are
   * all gone (a temporary HOME) are dropped. After a discovery of a few files (`whole` false),
   * the scope's other entries are kept: they were not asked for, not gone; and the file is
   * written only once the wait after its last write has passed (see `FEW_FILES_WRITE_MS`).
   */
  async save(roots: readonly string[], {whole}: {whole: boolean} = {whole: true}): Promise<void> {
    const scope = [...roots].sort().join('\n')
    const before = Object.keys(this.scopes[scope] ?? {})
    const same = !whole || (before.length === Object.keys(this.used).length && before.every((key) => key in this.used))
    if (!this.folder || (!this.changed && same)) return
    const kept = Object.entries(this.scopes).filter(([key]) => key !== scope && key.split('\n').some((root) => existsSync(root)))
    // A copy of this run's entries: they are kept parsed, and a reader may still ask the memo later.
    // After a few files, the scope's entries are updated in place: a watch saves after every export,
    // and copying every entry of the scope cost more than the export's discovery.
    const entries = whole ? {...this.used} : Object.assign(this.scopes[scope] ?? {}, this.used)
    const scopes = Object.fromEntries(Object.keys(entries).length > 0 ? [...kept, [scope, entries]] : kept)
    const memoFile: MemoFile = {builtBy: this.builtBy, scopes, version: 2}
    const where = this.folder.resolve(this.file)
    // Not written yet, what a discovery of a few files learned is still kept for this process's
    // next runs (a watch's next exports).
    if (whole || Date.now() >= (writableAt.get(where) ?? 0)) {
      const bytes = await this.folder.write(this.file, memoFilePieces(memoFile))
      writableAt.set(where, Date.now() + waitAfterWriting(bytes, FEW_FILES_BYTES_PER_SECOND, FEW_FILES_WRITE_MS))
    }

    // Another process may replace the file meanwhile, and these scopes be kept under its stamp:
    // harmless, as every entry holds for the fingerprint it names, whoever wrote it.
    parsedMemos.set(where, await parsedMemos.stamp(where), memoFile)
  }
}

/**
 * How often what discoveries of a few files learned is written, at most. A watch discovers the
 * files an agent wrote after each change, and the file holds an entry for every session (a MB
 * for 2,000): written at every export, it was 13% of a watch export's processor time. What a
 * process learned and had not written when it ended is looked at again by the next run.
 */
const FEW_FILES_WRITE_MS = 30_000

/**
 * And at most this many bytes a second on average: 7 MB for 9,000 sessions, every 30 s, was the
 * most a watch wrote. The cache only spares the next run a look at a few files: it is written
 * less often than the state file and the index.
 */
const FEW_FILES_BYTES_PER_SECOND = 50_000

/** When each discovery cache may be written again after a discovery of a few files. */
const writableAt = new Map<string, number>()

/** `JSON.stringify(memoFile)`, each entry's text kept while the entry is the same. */
function* memoFilePieces(memoFile: MemoFile): Generator<string> {
  yield `{"builtBy":${JSON.stringify(memoFile.builtBy)},"scopes":`
  yield* jsonObjectPieces(memoFile.scopes, (entries) => jsonObjectPieces(entries, keptJson))
  yield `,"version":${memoFile.version}}`
}

/**
 * Discovery caches as this process last read or wrote them, with what it learned since it last
 * wrote them: a watch loads them before every export.
 */
const parsedMemos = new ParsedFiles<MemoFile>()
