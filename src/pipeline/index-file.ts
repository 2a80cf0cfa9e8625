import {fileStart} from './file-start.js'
import {type IndexEntry, indexEntries} from './index-entry.js'
import {INDEX_HEADING, INDEX_MARKDOWN, isMonthIndexFile, markdownIndexFiles, markdownIndexNames} from './index-markdown.js'
import {indentedArrayPieces} from './json-pieces.js'
import type {OutputFolder} from './output-folder.js'
import type {ExportState} from './state.js'

const INDEX_JSON = 'index.json'
/** The format INDEX.md links to, where a session was exported in several: that of the run that wrote it. */
const INDEX_FORMAT = '.sessionsync/index-format'
/** How each index file starts: a file of that name that starts otherwise is a user's own. */
const MARKDOWN_START = `${INDEX_HEADING}\n`
const INDEX_STARTS = new Map([
  [INDEX_MARKDOWN, MARKDOWN_START],
  [INDEX_JSON, '{\n  "sessions": '],
])

/**
 * Rewrites `index.json` (for programs) and `INDEX.md` (for an agent to read in one go, with the
 * earlier sessions of a long history in a file per month) from everything ever exported into the
 * folder, newest first, subagents under their parent. Sessions whose source is gone stay listed:
 * their exports are kept. A file whose text would not change is not written again.
 */
export async function writeIndex(state: ExportState, output: OutputFolder, preferredFormat: string): Promise<void> {
  const entries = indexEntries(state.all().values())
  const foreign = new Set(foreignIndexFiles(output))
  if (!foreign.has(INDEX_JSON)) await output.write(INDEX_JSON, indexJsonPieces(entries))
  if (foreign.has(INDEX_MARKDOWN)) return
  const files = markdownIndexFiles(entries, preferredFormat)
  for (const [name, text] of files) if (!foreign.has(name) && (await output.read(name)) !== text) await output.write(name, text)
  // A month whose sessions all moved on (to a later month, or into INDEX.md) leaves its file behind.
  for (const name of await output.names('')) if (isMonthIndexFile(name) && !files.has(name) && !foreign.has(name)) await output.remove(name)
  if ((await output.read(INDEX_FORMAT)) !== preferredFormat) await output.write(INDEX_FORMAT, preferredFormat)
}

/** The index files of the output folder that sessionsync did not write (a user's own INDEX.md): left as they are. */
export function foreignIndexFiles(output: OutputFolder): string[] {
  const months = [...output.namesSync('')].filter((name) => isMonthIndexFile(name)).sort()
  return [...INDEX_STARTS, ...months.map((name): [string, string] => [name, MARKDOWN_START])].flatMap(([name, start]) => {
    // Git for Windows checks text files out with CRLF line ends (core.autocrlf): still sessionsync's.
    const found = fileStart(output.resolve(name), Buffer.byteLength(start.replaceAll('\n', '\r\n')))?.replaceAll('\r\n', '\n')
    return found === undefined || found.startsWith(start) ? [] : [name]
  })
}

/** Whether the Markdown index is all there and links to the exports of this format. */
export async function indexInPlace(state: ExportState, output: OutputFolder, format: string): Promise<boolean> {
  if ((await output.read(INDEX_FORMAT)) !== format) return false
  for (const name of markdownIndexNames(indexEntries(state.all().values()))) if (!(await output.exists(name))) return false
  return true
}

/** `JSON.stringify({sessions: entries}, null, 2)`, each entry's text kept from the last index written. */
function* indexJsonPieces(entries: IndexEntry[]): Generator<string> {
  yield '{\n  "sessions": '
  yield* indentedArrayPieces(entries, 1)
  yield '\n}\n'
}
