import {rm} from 'node:fs/promises'
import path from 'node:path'
import {statOrNull} from '../stat-or-null.js'
import type {OutputFolder} from './output-folder.js'

/**
 * Marks an output folder exported with --redact. A folder made to be shared stays redacted: a
 * later run into it without the flag redacts too, until one is run with --no-redact.
 */
const REDACTED_MARK = '.sessionsync/redacted'

/** Whether the last run into this folder that said either way was run with --redact. */
export function exportedRedacted(outputRoot: string): boolean {
  return statOrNull(path.join(outputRoot, REDACTED_MARK))?.isFile() === true
}

/**
 * Records what a command line said (`given`), for the runs after it; one that said nothing
 * changes nothing. `marked`: whether the folder is marked now.
 */
export async function markRedaction(output: OutputFolder, given: boolean | null, marked: boolean): Promise<void> {
  if (given === null || given === marked) return
  if (given) await output.write(REDACTED_MARK, 'Exported with --redact: later runs into this folder redact too, unless run with --no-redact.\n')
  else await rm(output.resolve(REDACTED_MARK), {force: true})
}
