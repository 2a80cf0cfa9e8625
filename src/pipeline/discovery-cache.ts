import {z} from 'zod'
import type {DiscoveryMemo} from '../plugin-api.js'
import {safeSegment} from './names.js'
import {OutputFolder} from './output-folder.js'

const MemoFileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.object({fingerprint: z.string(), value: z.unknown()})),
})

type Entries = z.infer<typeof MemoFileSchema>['entries']

/**
 * What a reader learned about its sources at discovery (a file's first records, its title),
 * kept per agent in sessionsync's cache folder so that any later run (`sync`, `list`, `watch`,
 * whatever the output folder) only looks at what changed. It holds nothing the agents' own
 * files do not, and stays on this machine, never in an export. Entries not asked for in a run
 * are dropped when it is saved: deleted sources do not linger.
 */
export class DiscoveryCache implements DiscoveryMemo {
  private readonly used: Entries = {}
  private changed = false

  private constructor(
    private readonly folder: OutputFolder | null,
    private readonly file: string,
    private readonly known: Entries,
  ) {}

  /** Without a cache folder, discovery remembers nothing between runs. */
  static async load(cacheDir: string | null, agent: string): Promise<DiscoveryCache> {
    const folder = cacheDir === null ? null : new OutputFolder(cacheDir)
    const file = `discovery/${safeSegment(agent)}.json`
    try {
      const parsed = MemoFileSchema.safeParse(JSON.parse((await folder?.read(file)) ?? ''))
      if (parsed.success) return new DiscoveryCache(folder, file, parsed.data.entries)
    } catch {
      // Missing or corrupt: discovery simply looks at everything again.
    }

    return new DiscoveryCache(folder, file, {})
  }

  get(key: string, fingerprint: string): unknown {
    const entry = this.known[key]
    if (entry?.fingerprint !== fingerprint) return undefined
    this.used[key] = entry
    return entry.value
  }

  set(key: string, fingerprint: string, value: unknown): void {
    this.used[key] = {fingerprint, value}
    this.changed = true
  }

  /** Written only when something changed (or went away), so a quiet re-run writes nothing. */
  async save(): Promise<void> {
    const dropped = Object.keys(this.known).some((key) => !(key in this.used))
    if (!this.folder || (!this.changed && !dropped)) return
    await this.folder.write(this.file, JSON.stringify({entries: this.used, version: 1}))
  }
}
