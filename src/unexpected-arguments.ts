import {statOrNull} from './stat-or-null.js'

/**
 * Why words were refused where a command takes flags only: a folder among them was most likely
 * meant for --workspace, and is pointed there.
 */
export function unexpectedArguments(words: readonly string[], command: string): string {
  const [first] = words
  const hint = statOrNull(first)?.isDirectory() ? `for the sessions of that folder, give it with --workspace: ${command} -w ${first}` : `${command} takes flags only (${command} --help)`
  return `unexpected argument${words.length > 1 ? 's' : ''} ${words.join(' ')}: ${hint}`
}
