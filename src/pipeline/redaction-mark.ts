import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import path from 'node:path'
import type {OutputFolder} from './output-folder.js'

/**
 * Marks an output folder exported with --redact. A folder made to be shared stays redacted: a
 * later run into it without the flag redacts too, until one is run with --no-redact.
 */
const REDACTED_MARK = '.sessionsync/redacted'

/** Whether the last export into this folder that said so was made with --redact. */
export function exportedRedacted(outputRoot: string): boolean {
  return existsSync(path.join(outputRoot, REDACTED_MARK))
}

/** Records this run's choice for the runs after it. */
export async function markRedaction(output: OutputFolder, redact: boolean): Promise<void> {
  const marked = exportedRedacted(output.root)
  if (redact && !marked) await output.write(REDACTED_MARK, 'Exported with --redact: later runs into this folder redact too, unless run with --no-redact.\n')
  else if (!redact && marked) await rm(output.resolve(REDACTED_MARK), {force: true})
}
