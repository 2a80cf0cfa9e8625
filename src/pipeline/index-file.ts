import {z} from 'zod'
import {INDEX_SCHEMA_VERSION, type IndexEntry} from '../model/index-document.js'
import {statOrNull} from '../stat-or-null.js'
import {fileStart} from './file-start.js'
import {indexEntries} from './index-entry.js'
import {INDEX_HEADING, INDEX_MARKDOWN, markdownIndexFiles, markdownIndexNames} from './index-markdown.js'
import {isEarlierIndexFile} from './index-parts.js'
import {indentedArrayPieces} from './json-pieces.js'
import type {OutputFolder} from './output-folder.js'
import type {ExportState} from './state.js'

const INDEX_JSON = 'index.json'
/** What the last run wrote of the index; named when it held the format alone, which earlier versions still read. */
const INDEX_RECORD = '.sessionsync/index-format'
/** How each index file starts: a file of that name that starts otherwise is a user's own. */
const MARKDOWN_START = `${INDEX_HEADING}\n`
const INDEX_STARTS = new Map([
  [INDEX_MARKDOWN, MARKDOWN_START],
  [INDEX_JSON, '{\n  "sessions": '],
])

const IndexRecordSchema = z.object({
  /** The format INDEX.md links to, where a session was exported in several: that of the run that wrote it. */
  format: z.string(),
  /**
   * The size of each index file written: one of another size was changed by something else (a
   * git merge, an edit) and is written again, though nothing new was exported.
   */
  sizes: z.record(z.string(), z.number()),
  /** The `schemaVersion` of the index.json written; absent where it had none, which is then written again. */
  jsonVersion: z.number().optional(),
})

type IndexRecord = z.infer<typeof IndexRecordSchema>

/**
 * Rewrites `index.json` (for programs) and `INDEX.md` (for an agent to read in one go, with the
 * earlier sessions of a long history in a file per month, a busy month's in parts) from
 * everything ever exported into the folder, newest first, subagents under their parent. Sessions
 * whose source is gone stay listed: their exports are kept. A file whose text would not change
 * is not written again, nor one of `foreignFiles`, the user's own (as the run found them, with
 * `foreignIndexFiles`). Returns the bytes written.
 */
export async function writeIndex(state: ExportState, output: OutputFolder, preferredFormat: string, foreignFiles: readonly string[]): Promise<number> {
  const entries = indexEntries(state.sessions())
  const foreign = new Set(foreignFiles)
  const record: IndexRecord = {format: preferredFormat, jsonVersion: INDEX_SCHEMA_VERSION, sizes: {}}
  let written = 0
  if (!foreign.has(INDEX_JSON)) {
    record.sizes[INDEX_JSON] = await output.write(INDEX_JSON, indexJsonPieces(entries))
    written += record.sizes[INDEX_JSON]
  }

  if (!foreign.has(INDEX_MARKDOWN)) {
    const files = markdownIndexFiles(entries, preferredFormat)
    for (const [name, text] of files) {
      if (foreign.has(name)) continue
      if ((await output.read(name)) !== text) written += await output.write(name, text)
      record.sizes[name] = Buffer.byteLength(text)
    }

    // A month or part whose sessions all moved on (to a later month, into INDEX.md, into the parts
    // of a month grown busy) leaves its file behind.
    for (const name of await output.names('')) if (isEarlierIndexFile(name) && !files.has(name) && !foreign.has(name)) await output.remove(name)
  }

  const recordText = `${JSON.stringify(record)}\n`
  if ((await output.read(INDEX_RECORD)) !== recordText) written += await output.write(INDEX_RECORD, recordText)
  return written
}

/** The index files sessionsync writes into the output folder, and the files of earlier sessions there now. */
export function indexFileNames(output: OutputFolder): string[] {
  return [...INDEX_STARTS.keys(), ...[...output.namesSync('')].filter((name) => isEarlierIndexFile(name)).sort()]
}

/** The index files of the output folder that sessionsync did not write (a user's own INDEX.md): left as they are. */
export function foreignIndexFiles(output: OutputFolder): string[] {
  return indexFileNames(output).filter((name) => {
    const start = INDEX_STARTS.get(name) ?? MARKDOWN_START
    // Git for Windows checks text files out with CRLF line ends (core.autocrlf): still sessionsync's.
    const found = fileStart(output.resolve(name), Buffer.byteLength(start.replaceAll('\n', '\r\n')))?.replaceAll('\r\n', '\n')
    return found !== undefined && !found.startsWith(start)
  })
}

/**
 * Whether the index is all there as the last run wrote it, linking to the exports of this format:
 * each of its files (a user's own aside) of the size recorded, index.json of this schemaVersion.
 * Looked at, not read: a run with nothing to export does this and no more.
 */
export async function indexInPlace(state: ExportState, output: OutputFolder, format: string, foreign: readonly string[]): Promise<boolean> {
  const record = await readIndexRecord(output)
  if (record?.format !== format || record.jsonVersion !== INDEX_SCHEMA_VERSION) return false
  const markdown = foreign.includes(INDEX_MARKDOWN) ? [] : markdownIndexNames(indexEntries(state.sessions()))
  const own = [INDEX_JSON, ...markdown].filter((name) => !foreign.includes(name))
  return own.length === Object.keys(record.sizes).length && own.every((name) => statOrNull(output.resolve(name))?.size === record.sizes[name])
}

/** The record of the last index written; none from a file of an earlier version (the format alone), or one git left conflicted. */
async function readIndexRecord(output: OutputFolder): Promise<IndexRecord | undefined> {
  try {
    return IndexRecordSchema.parse(JSON.parse((await output.read(INDEX_RECORD)) ?? ''))
  } catch {
    return undefined
  }
}

/**
 * `JSON.stringify({sessions: entries, schemaVersion}, null, 2)`, each entry's text kept from the last
 * index written. The version comes last so that the file starts as those of sessionsync 0.12.0 and
 * earlier did, which take a file that starts otherwise for a user's own: a team sharing the folder
 * through git may sync with both for a while.
 */
function* indexJsonPieces(entries: IndexEntry[]): Generator<string> {
  yield '{\n  "sessions": '
  yield* indentedArrayPieces(entries, 1)
  yield `,\n  "schemaVersion": ${INDEX_SCHEMA_VERSION}\n}\n`
}
