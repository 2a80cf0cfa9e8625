import {z} from 'zod'
import type {OutputFolder} from './output-folder.js'

export const STATE_FILE = '.sessionsync/state.json'

const ExportRecordSchema = z.object({
  /** Export path relative to the output folder. */
  file: z.string(),
  /** The source fingerprint the export was made from. */
  fingerprint: z.string(),
  /** Hash of everything else that shapes the file: format, exclusions, sessionsync version. */
  optionsKey: z.string(),
  exportedAt: z.string(),
})

const StateSchema = z.object({
  version: z.literal(1),
  /** session key (`agent/id`) → format → its export. */
  sessions: z.record(z.string(), z.record(z.string(), ExportRecordSchema)),
})

export type ExportRecord = z.infer<typeof ExportRecordSchema>
type StateData = z.infer<typeof StateSchema>

/**
 * What was exported where, from which version of the source: lets a re-run skip unchanged
 * sessions without reading them, and keeps every session at the file name it got first.
 */
export class ExportState {
  private readonly changes = new Map<string, Map<string, ExportRecord>>()

  private constructor(private readonly data: StateData, readonly problem: string | null) {}

  static async load(output: OutputFolder): Promise<ExportState> {
    const text = await output.read(STATE_FILE)
    if (text === undefined) return new ExportState(emptyState(), null)
    const parsed = parseState(text)
    return parsed ? new ExportState(parsed, null) : new ExportState(emptyState(), `the state file ${STATE_FILE} is corrupt; exporting everything again`)
  }

  get(sessionKey: string, format: string): ExportRecord | undefined {
    return this.changes.get(sessionKey)?.get(format) ?? this.data.sessions[sessionKey]?.[format]
  }

  /** Export paths by session key for one format. */
  files(format: string): Map<string, string> {
    const files = new Map<string, string>()
    for (const [key, formats] of Object.entries(this.data.sessions)) if (formats[format]) files.set(key, formats[format].file)
    for (const [key, formats] of this.changes) if (formats.get(format)) files.set(key, formats.get(format)!.file)
    return files
  }

  set(sessionKey: string, format: string, record: ExportRecord): void {
    if (!this.changes.has(sessionKey)) this.changes.set(sessionKey, new Map())
    this.changes.get(sessionKey)!.set(format, record)
  }

  /**
   * Writes this run's changes on top of the state as it is on disk now, so a watch and a
   * manual sync on the same folder do not erase each other's records.
   */
  async save(output: OutputFolder): Promise<void> {
    if (this.changes.size === 0) return
    const current = parseState((await output.read(STATE_FILE)) ?? '') ?? emptyState()
    for (const [key, formats] of this.changes) {
      current.sessions[key] = {...current.sessions[key], ...Object.fromEntries(formats)}
    }

    await output.write(STATE_FILE, JSON.stringify(current) + '\n')
  }
}

function emptyState(): StateData {
  return {sessions: {}, version: 1}
}

function parseState(text: string): StateData | undefined {
  try {
    const result = StateSchema.safeParse(JSON.parse(text))
    return result.success ? result.data : undefined
  } catch {
    return undefined
  }
}
