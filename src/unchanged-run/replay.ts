import {readFileSync} from 'node:fs'
import {parseRecord, recordFile, thisRun} from './record.js'
import {stampInputs} from './stamp.js'

/**
 * The short way of a `sync` that has nothing to do: when the same run was recorded leaving every
 * export up to date, and nothing it depends on changed since, prints that all is up to date. Imports
 * only Node's own modules, so that it runs before oclif, zod and the plugins are loaded.
 * Returns false (run as usual) whenever in doubt.
 */
export function replayUnchangedRun(root: string, args: readonly string[], stdout: Pick<NodeJS.WriteStream, 'write'> = process.stdout): boolean {
  if (args[0] !== 'sync') return false
  let text: string
  try {
    text = readFileSync(recordFile(thisRun(root, args)), 'utf8')
  } catch {
    // No record, or the current folder is gone: the ordinary run says what to do about it.
    return false
  }

  const record = parseRecord(text)
  if (!record?.checks.every((check) => stampInputs(check.inputs) === check.stamp)) return false
  stdout.write(record.stdout)
  return true
}
