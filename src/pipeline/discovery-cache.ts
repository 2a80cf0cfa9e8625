import {z} from 'zod'
import type {DiscoveryMemo} from '../plugin-api.js'
import {safeSegment} from './names.js'
import {redactValue} from './redact/index.js'
import type {OutputFolder} from './output-folder.js'

const MemoFileSchema = z.object({
  version: z.literal(1),
  /** Written with `--redact`: a run with it rewrites a memo written without. */
  redacted: z.boolean().default(false),
  entries: z.record(z.string(), z.object({fingerprint: z.string(), value: z.unknown()})),
})

type Entries = z.infer<typeof MemoFileSchema>['entries']

/**
 * What a reader learned about its sources at discovery (a file's first records, its title),
 * kept in the output folder per agent so a re-run only looks at what changed. Entries not
 * asked for in a run are dropped when it is saved: deleted sources do not linger.
 */
export class DiscoveryCache implements DiscoveryMemo {
  private readonly used: Entries = {}
  private changed = false

  private constructor(
    private readonly file: string,
    private readonly known: Entries,
    private readonly knownRedacted: boolean,
  ) {}

  static async load(output: OutputFolder, agent: string): Promise<DiscoveryCache> {
    const file = `.sessionsync/discovery/${safeSegment(agent)}.json`
    try {
      const parsed = MemoFileSchema.safeParse(JSON.parse((await output.read(file)) ?? ''))
      if (parsed.success) return new DiscoveryCache(file, parsed.data.entries, parsed.data.redacted)
    } catch {
      // Missing or corrupt: discovery simply looks at everything again.
    }

    return new DiscoveryCache(file, {}, false)
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

  /**
   * Written only when something changed (or went away), so a quiet re-run writes nothing.
   * With `--redact`, what is kept (first prompts, titles) is redacted like the exports.
   */
  async save(output: OutputFolder, redact: boolean): Promise<void> {
    const dropped = Object.keys(this.known).some((key) => !(key in this.used))
    if (!this.changed && !dropped && (this.knownRedacted || !redact)) return
    await output.write(this.file, JSON.stringify({entries: redact ? redactValue(this.used) : this.used, redacted: redact, version: 1}))
  }
}
