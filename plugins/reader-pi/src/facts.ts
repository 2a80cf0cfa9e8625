import type {Json, PiEntry} from './format.js'
import {isoTime, isRecord, modelName, text} from './format.js'
import {userText} from './messages.js'

/** The assistant message bodies of a path, for the models listed over them. */
function assistantBodies(path: readonly PiEntry[]) {
  return path.flatMap((entry) => (entry.type === 'message' && isRecord(entry.message) && entry.message.role === 'assistant' ? [entry.message] : []))
}

/** Models that answered on the path, in order of first use. */
export function modelsUsed(path: readonly PiEntry[]): string[] {
  return [...new Set(assistantBodies(path).flatMap((body) => modelName(body.provider, body.model) ?? []))]
}

/** The first thing the user asked. */
export function firstPrompt(entries: readonly PiEntry[]): string | null {
  for (const entry of entries) {
    const prompt = entry.type === 'message' ? userText(entry.message) : null
    if (prompt) return prompt
  }

  return null
}

/** When the session was last active: the time of its last entry that has one. */
export function lastTime(entries: readonly PiEntry[]): string | null {
  // From the end: the time of every entry of a long session, parsed, would mostly be thrown away.
  for (let index = entries.length - 1; index >= 0; index--) {
    const time = isoTime(entries[index].timestamp)
    if (time) return time
  }

  return null
}

/** The name the user gave the session (`/name`): the latest `session_info` in the file wins. */
export function sessionName(entries: readonly Json[]): string | null {
  let name: string | null = null
  for (const entry of entries) {
    if (entry.type === 'session_info') name = text(entry.name)?.trim() || null
  }

  return name
}

/** Labels (`/tree` bookmarks) by the entry they mark; the latest per entry wins, an empty one clears it. */
export function labels(entries: readonly PiEntry[]): Map<string, string> {
  const byTarget = new Map<string, string>()
  for (const entry of entries) {
    const target = entry.type === 'label' ? text(entry.targetId) : null
    if (target === null) continue
    const label = text(entry.label)
    if (label) byTarget.set(target, label)
    else byTarget.delete(target)
  }

  return byTarget
}

/** Extension state (`custom` entries): not part of the conversation, kept as metadata. */
export function extensionState(entries: readonly PiEntry[]): Array<{customType: string | null; data: unknown}> {
  return entries.filter((entry) => entry.type === 'custom').map((entry) => ({customType: text(entry.customType), data: entry.data ?? null}))
}
