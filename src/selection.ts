import {realpathSync} from 'node:fs'
import path from 'node:path'
import {deepestExisting} from './pipeline/output-folder.js'
import {statOrNull} from './stat-or-null.js'
import type {Reader, Writer} from './plugin-api.js'
import type {Registry} from './registry.js'

/** A flag names something that is not installed (the message lists what is), or a place that cannot be. */
export class SelectionError extends Error {}

/**
 * A path made absolute: one a flag gave, or (flag null) a default the command has no flag for.
 * A relative one is relative to the current folder, which a shell keeps even after the folder
 * was deleted: that gets a sentence rather than `uv_cwd`.
 */
function absolutePath(given: string, flag: string | null): string {
  // An unset variable (`-o "$OUT"`) must not mean the current folder.
  if (given.trim() === '') throw new SelectionError(`${flag ?? 'a path'} was given an empty path: name a folder ('.' for the current one)`)
  if (path.isAbsolute(given)) return path.resolve(given)
  let current: string
  try {
    current = process.cwd()
  } catch {
    const remedy = flag === null ? 'cd to an existing folder' : `cd to an existing folder, or give ${flag} an absolute path`
    throw new SelectionError(`the current folder no longer exists (deleted or moved), so ${flag === null ? given : `${flag} ${given}`} has nowhere to be: ${remedy}`)
  }

  return path.resolve(current, given)
}

/**
 * The output folder, absolute, refused up front when it cannot be a folder: a file in its place
 * or in the way (a file named like one of its parents) would fail every write with ENOTDIR.
 */
export function outputFolder(given: string, flag: string | null): string {
  const folder = absolutePath(given, flag)
  const existing = deepestExisting(folder)
  // No access there is left to the first write, which will say so.
  if (statOrNull(existing)?.isDirectory() === false) throw new SelectionError(`${flag ?? 'the output folder'} ${given}: ${existing} is a file, not a folder`)
  return folder
}

export function selectReaders(registry: Registry, agent: string): Reader[] {
  const readers = [...registry.readers.values()].sort((a, b) => a.agent.localeCompare(b.agent))
  if (agent === 'all') return readers
  const names = agent.split(',').map((name) => name.trim())
  return names.map((name) => {
    const reader = registry.readers.get(name)
    if (!reader) throw new SelectionError(`unknown agent "${name}". Installed: ${[...registry.readers.keys()].sort().join(', ') || 'none'}, or all.`)
    return reader
  })
}

export function selectWriter(registry: Registry, format: string): Writer {
  const writer = registry.writers.get(format) ?? [...registry.writers.values()].find((candidate) => candidate.extension === format)
  if (!writer) throw new SelectionError(`unknown format "${format}". Installed: ${[...registry.writers.keys()].sort().join(', ') || 'none'}.`)
  return writer
}

/** `--session` values, trimmed: an empty one would match every session. */
export function sessionIds(given: string[] | undefined): string[] | null {
  if (given === undefined) return null
  const ids = given.map((id) => id.trim())
  if (ids.includes('')) throw new SelectionError('--session needs an id, or the start of one: see sessionsync list')
  return ids
}

const AGE = /^(\d+)\s*(m|min|h|d|w)$/i
const MINUTES = {d: 1440, h: 60, m: 1, min: 1, w: 10_080} as const
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
/** Only ISO 8601 times: `Date` also takes "5" (for 2001) and other guesses. */
const DATE_AND_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/

/**
 * `--since` as an instant (ISO 8601). A date alone starts at local midnight, which is what a
 * person means by "since the first"; `Date` would take it for midnight UTC.
 */
export function parseSince(given: string, now = Date.now()): string {
  const text = given.trim()
  // A capital M reads as months as often as minutes.
  if (/^\d+\s*M$/.test(text)) throw new SelectionError(`--since ${given}: M could be minutes or months; give minutes with a small m (90m), or an age in days or weeks (30d, 4w)`)
  const instant = sinceInstant(text, now)
  // Invalid: a time such as 25:00, or an age beyond what a Date holds (about 270,000 years).
  if (instant === null || Number.isNaN(instant.getTime())) throw new SelectionError(`--since ${given}: give a date (2026-11-01), a time (2026-11-01T14:00) or an age (90m, 12h, 7d, 2w)`)
  return instant.toISOString()
}

function sinceInstant(text: string, now: number): Date | null {
  const age = AGE.exec(text)
  if (age) return new Date(now - Number(age[1]) * MINUTES[age[2].toLowerCase() as keyof typeof MINUTES] * 60_000)
  const date = DATE_ONLY.exec(text)
  if (date) {
    const midnight = new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3]))
    // February 30th rolls over into March: not a date anybody meant.
    return midnight.getDate() === Number(date[3]) ? midnight : null
  }

  return DATE_AND_TIME.test(text) ? new Date(text) : null
}

/**
 * The workspace filter: the folder given (or the current one), `/` for every session.
 * Agents record the real path, so a folder reached through a symlink matches by both names.
 */
export function resolveWorkspaces(workspace: string | undefined): string[] | null {
  const folder = absolutePath(workspace ?? '.', '--workspace')
  if (folder === path.parse(folder).root) return null
  let real = folder
  try {
    real = realpathSync(folder)
  } catch {
    // A folder that no longer exists can still be the workspace of old sessions.
  }

  return real === folder ? [folder] : [folder, real]
}
