import {existsSync} from 'node:fs'
import path from 'node:path'
import {setImmediate as nextTurn} from 'node:timers/promises'
import {statOrNull} from '../stat-or-null.js'
import {FORMAT_OF_EXTENSION, readExportFacts} from './export-facts.js'
import {sessionKey} from './layout.js'
import {safeSegment} from './names.js'
import type {OutputFolder} from './output-folder.js'
import {HOST_TAG, UNKNOWN_HOST} from './runs.js'
import type {ExportState} from './state.js'

/**
 * The fingerprint and options of an adopted export: no source and no run has them, so a session
 * this machine's agent still has is exported again, to the same file.
 */
export const ADOPTED = 'adopted'

/** An export's name: `<date>-<title>-<short id>.<ext>` (`undated-…` without a time). */
const EXPORT_NAME = /^(?:\d{4}-\d\d-\d\d|undated)-.*\.([a-z]+)$/

/**
 * Takes into the state the exports in the output folder that it does not name for their format:
 * a state deleted, lost or kept out of git, or a teammate's exports brought by `git pull`. Their
 * facts are read from the exports themselves; only files that are sessionsync's exports for sure
 * (their start parses as one, with an agent and an id, in that agent's folder) are taken. Returns
 * how many were. With nothing to adopt, it reads no export: it lists the agents' folders, and the
 * folders of sessions of which the state names no subagent.
 */
export async function adoptExports(state: ExportState, output: OutputFolder): Promise<number> {
  let adopted = 0
  for (const {file, format} of unnamedExports(state, output)) {
    // A turn of the event loop before each: a Ctrl-C is heard while thousands are read (and a second one ends the run).
    await nextTurn()
    const found = readExportFacts(format, output.resolve(file))
    if (!found || safeSegment(found.facts.agent) !== file.split('/')[0]) continue
    const key = sessionKey(found.facts)
    // The state names another file of the session, still there (an older copy of its export lies here).
    const named = state.get(key, format)?.file
    if (named !== undefined && output.listedSync(named)) continue
    const info = statOrNull(output.resolve(file))
    if (!info) continue
    const host = found.source !== null && existsSync(path.dirname(found.source)) ? HOST_TAG : UNKNOWN_HOST
    state.adopt(key, format, found.facts, {bytes: info.size, exportedAt: info.mtime.toISOString(), file, fingerprint: ADOPTED, host, optionsKey: ADOPTED, source: found.source})
    adopted++
  }

  return adopted
}

/** The exports of the folder's agent folders, and of their sessions' folders, that the state does not name for their format. */
function* unnamedExports(state: ExportState, output: OutputFolder): Generator<{file: string; format: string}> {
  const files = new Set<string>()
  const folders = new Set<string>()
  for (const session of state.sessions()) {
    for (const [format, record] of Object.entries(session.exports)) {
      files.add(`${format}\0${record.file}`)
      folders.add(path.posix.dirname(record.file))
    }
  }

  function* unnamedIn(folder: string): Generator<{file: string; format: string}> {
    const names = output.namesSync(folder)
    for (const name of names) {
      const format = formatOfExport(name)
      const file = `${folder}/${name}`
      if (format !== undefined && !files.has(`${format}\0${file}`)) yield {file, format}
      // A session's folder is named after its export: its subagents are looked for only where the state names none.
      const sessionFolder = format === undefined && [...FORMAT_OF_EXTENSION.keys()].some((extension) => names.has(`${name}.${extension}`) && formatOfExport(`${name}.${extension}`))
      if (sessionFolder && !folders.has(file)) yield* unnamedIn(file)
    }
  }

  // Its own files (`.sessionsync/`, temporary ones) start with a dot; an index file lists as no folder.
  for (const name of output.namesSync('')) if (!name.startsWith('.')) yield* unnamedIn(name)
}

function formatOfExport(name: string): string | undefined {
  const extension = EXPORT_NAME.exec(name)?.[1]
  return extension === undefined ? undefined : FORMAT_OF_EXTENSION.get(extension)
}
