/**
 * The shapes Pi writes to its session files (pi-coding-agent `SessionEntry` and `AgentMessage`,
 * format version 3). Files come from many versions and extensions, so every field is read
 * defensively: these types say what to expect, the guards below check what is there.
 */

export interface PiHeader {
  type: 'session'
  version?: number
  id: string
  timestamp?: string
  cwd?: string
  /** Absolute path of the file this session was forked or cloned from. */
  parentSession?: string
}

/** Any line after the header. `id`/`parentId` are filled in by migration for v1 files. */
export interface PiEntry {
  type: string
  id: string
  parentId: string | null
  timestamp?: string
  /** 1-based line in the file, for messages that name it. */
  line: number
  [field: string]: unknown
}

export type Json = Record<string, unknown>

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** `provider/model`, as Pi names a model where it changes (`model_change`) and as OpenCode does. */
export function modelName(provider: unknown, model: unknown): string | null {
  const id = text(model)
  if (!id) return null
  const from = text(provider)
  return from ? `${from}/${id}` : id
}

export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0
}

/** Entry timestamps are ISO strings, message timestamps epoch milliseconds: both become ISO. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

export function isHeader(value: unknown): value is PiHeader {
  return isRecord(value) && value.type === 'session' && typeof value.id === 'string' && value.id !== ''
}
