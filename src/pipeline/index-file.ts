import path from 'node:path'
import {countOf} from '../count.js'
import {homeShortened, pathInside} from '../display-path.js'
import {oneLine} from '../kit/one-line.js'
import {printable} from '../printable.js'
import {fileStart} from './file-start.js'
import {indentedArrayPieces} from './json-pieces.js'
import {keptIn} from './kept.js'
import {shortId} from './names.js'
import type {OutputFolder} from './output-folder.js'
import type {ExportState, SessionState} from './state.js'

export const INDEX_MARKDOWN = 'INDEX.md'
const INDEX_JSON = 'index.json'
/** The format INDEX.md links to, where a session was exported in several: that of the run that wrote it. */
const INDEX_FORMAT = '.sessionsync/index-format'
const INDEX_HEADING = '# Session index'
/** How each index file starts: a file of that name that starts otherwise is a user's own. */
const INDEX_STARTS = new Map([
  [INDEX_MARKDOWN, `${INDEX_HEADING}\n`],
  [INDEX_JSON, '{\n  "sessions": '],
])
/** Enough to tell sessions apart in a line; index.json has them all. */
const CHANGED_FILES_SHOWN = 3

interface IndexEntry {
  agent: string
  id: string
  title: string
  summary: string | null
  createdAt: string | null
  updatedAt: string | null
  branch: string | null
  parentId: string | null
  forkedFrom: string | null
  copiedMessages: number | null
  messages: number
  workspace: string | null
  filesChanged: string[]
  toolCalls: number
  tools: Record<string, number>
  /** Exported files by format, relative to the output folder. */
  files: Record<string, string>
  /** Their sizes by format; null for exports made before sessionsync 0.4.0. */
  bytes: Record<string, number | null>
  /** When a sync first found the agent no longer has the session; null while it has it. */
  sourceGoneAt: string | null
}

/**
 * Rewrites `INDEX.md` (for an agent to read in one go) and `index.json` (for programs) from
 * everything ever exported into the folder, newest first, subagents under their parent.
 * Sessions whose source is gone stay listed: their exports are kept.
 */
export async function writeIndex(state: ExportState, output: OutputFolder, preferredFormat: string): Promise<void> {
  const entries = [...state.all().values()].map(entryOf).sort(newestFirst)
  const foreign = new Set(foreignIndexFiles(output))
  if (!foreign.has(INDEX_JSON)) await output.write(INDEX_JSON, indexJsonPieces(entries))
  if (foreign.has(INDEX_MARKDOWN)) return
  await output.write(INDEX_MARKDOWN, renderIndex(entries, preferredFormat))
  if ((await output.read(INDEX_FORMAT)) !== preferredFormat) await output.write(INDEX_FORMAT, preferredFormat)
}

/** The index files of the output folder that sessionsync did not write (a user's own INDEX.md): left as they are. */
export function foreignIndexFiles(output: OutputFolder): string[] {
  return [...INDEX_STARTS].flatMap(([name, start]) => {
    const found = fileStart(output.resolve(name), Buffer.byteLength(start))
    return found === null || found === start ? [] : [name]
  })
}

/** Whether INDEX.md is there and links to the exports of this format. */
export async function indexLinksTo(output: OutputFolder, format: string): Promise<boolean> {
  return (await output.read(INDEX_FORMAT)) === format && (await output.exists(INDEX_MARKDOWN))
}

/** `JSON.stringify({sessions: entries}, null, 2)`, each entry's text kept from the last index written. */
function* indexJsonPieces(entries: IndexEntry[]): Generator<string> {
  yield '{\n  "sessions": '
  yield* indentedArrayPieces(entries, 1)
  yield '\n}\n'
}

/** Kept with its session's state, which is replaced when it changes: its text is then kept too. */
const entries = new WeakMap<SessionState, IndexEntry>()

function entryOf(session: SessionState): IndexEntry {
  return keptIn(entries, session, () => newEntry(session))
}

function newEntry({exports, facts, sourceGoneAt}: SessionState): IndexEntry {
  return {
    agent: facts.agent,
    branch: facts.branch,
    copiedMessages: facts.copiedMessages,
    createdAt: facts.createdAt,
    filesChanged: facts.filesChanged,
    bytes: Object.fromEntries(Object.entries(exports).map(([format, record]) => [format, record.bytes])),
    files: Object.fromEntries(Object.entries(exports).map(([format, record]) => [format, record.file])),
    forkedFrom: facts.forkedFrom,
    id: facts.id,
    messages: facts.messages,
    parentId: facts.parentId,
    sourceGoneAt,
    summary: facts.summary ? oneLine(facts.summary, 200) : facts.firstPrompt,
    title: facts.title,
    toolCalls: facts.toolCalls,
    tools: facts.tools,
    updatedAt: facts.updatedAt,
    workspace: facts.workspace,
  }
}

function renderIndex(entries: IndexEntry[], preferredFormat: string): string {
  // An export of several projects (`--workspace /`, an archive) says which one each session is of.
  const showWorkspace = new Set(entries.map((entry) => entry.workspace)).size > 1
  const byKey = new Map(entries.map((entry) => [keyOf(entry.agent, entry.id), entry]))
  const parentOf = (entry: IndexEntry) => (entry.parentId ? byKey.get(keyOf(entry.agent, entry.parentId)) : undefined)
  const children = new Map<IndexEntry, IndexEntry[]>()
  for (const entry of entries) {
    const parent = parentOf(entry)
    if (parent) children.set(parent, children.get(parent)?.concat(entry) ?? [entry])
  }

  const lines: string[] = []
  const add = (entry: IndexEntry, depth: number, seen: Set<IndexEntry>) => {
    if (seen.has(entry)) return
    seen.add(entry)
    const original = entry.forkedFrom ? byKey.get(keyOf(entry.agent, entry.forkedFrom)) : undefined
    lines.push(`${'  '.repeat(depth)}- ${keptLine(entry, original, preferredFormat, showWorkspace)}`)
    for (const child of children.get(entry) ?? []) add(child, depth + 1, seen)
  }

  const seen = new Set<IndexEntry>()
  for (const entry of entries) if (!parentOf(entry)) add(entry, 0, seen)
  const header = [
    INDEX_HEADING,
    '',
    `${countOf(entries.length, 'exported session')}, newest first; subagent sessions are listed under the session that started them.`,
    `Each line: day of the last activity (UTC) · agent · ${showWorkspace ? 'project folder · ' : ''}branch · title (link) · messages, tool calls and size [· source gone since the day a sync found the agent had deleted the session: its export is all that is left] [· the session it was forked from, and how many messages are new] [· files it changed] — summary or first request, unless the title already says it.`,
    '',
  ]
  return [...header, ...lines, ''].join('\n')
}

/** Each entry's line as the last index wrote it, while nothing it shows changed: a watch writes the index after every export. */
const keptLines = new WeakMap<IndexEntry, {original: IndexEntry | undefined; preferredFormat: string; showWorkspace: boolean; text: string}>()

function keptLine(entry: IndexEntry, original: IndexEntry | undefined, preferredFormat: string, showWorkspace: boolean): string {
  const kept = keptLines.get(entry)
  if (kept && kept.original === original && kept.preferredFormat === preferredFormat && kept.showWorkspace === showWorkspace) return kept.text
  const text = line(entry, original, preferredFormat, showWorkspace)
  keptLines.set(entry, {original, preferredFormat, showWorkspace, text})
  return text
}

function line(entry: IndexEntry, original: IndexEntry | undefined, preferredFormat: string, showWorkspace: boolean): string {
  const date = (entry.updatedAt ?? entry.createdAt ?? '').slice(0, 10) || 'undated'
  const title = linkText(oneLine(entry.title, 100) || 'Untitled')
  const parts = [date, entry.agent, ...(showWorkspace ? [homeShortened(entry.workspace)] : []), entry.branch ?? '-', `[${title}](${linkTo(entry, preferredFormat)})`, [countOf(entry.messages, 'msg'), countOf(entry.toolCalls, 'tool call'), ...sizeText(entry, preferredFormat)].join(', ')]
  if (entry.sourceGoneAt) parts.push(`source gone since ${entry.sourceGoneAt.slice(0, 10)}`)
  // A fork repeats its original up to where it branched off: naming the original tells a reader
  // which part of the fork is new.
  if (entry.forkedFrom) parts.push(`fork of ${original ? `[${shortId(original.id)}](${linkTo(original, preferredFormat)})` : shortId(entry.forkedFrom)}${newInFork(entry)}`)
  if (entry.filesChanged.length > 0) parts.push(changedFilesText(entry))
  // A title taken from the first request (the agent gave none) would only be said twice. What a
  // session holds may carry control characters (a file name with a line break, an escape
  // sequence in a title): shown as symbols, the line stays one line and safe to print.
  const summary = entry.summary && entry.summary !== oneLine(entry.title, Number.POSITIVE_INFINITY) ? ` — ${inlineText(entry.summary)}` : ''
  return printable(parts.join(' · ') + summary)
}

/**
 * What a session said, as the text of a link: a bracket or a last backslash would end the link
 * early or keep it from closing, and a tag (`<details>`) would fold the rest of the index.
 */
function linkText(text: string): string {
  return text.replaceAll(/[\\[\]<]/g, (character) => `\\${character}`)
}

/** What a session said, in a line of the index: a tag in it is shown as typed, not taken for HTML. */
function inlineText(text: string): string {
  return text.replaceAll('<', '\\<')
}

/** The first few files a session changed, inside its workspace by their path there: enough to grep the index for a file. */
function changedFilesText({filesChanged, workspace}: IndexEntry): string {
  const shown = filesChanged.slice(0, CHANGED_FILES_SHOWN).map((file) => pathInWorkspace(file, workspace))
  const more = filesChanged.length - shown.length
  return `changed ${shown.join(', ')}${more > 0 ? ` +${more} more` : ''}`
}

function pathInWorkspace(file: string, workspace: string | null): string {
  return (workspace && pathInside(file, workspace)) || file
}

function newInFork({copiedMessages, messages}: IndexEntry): string {
  return copiedMessages === null ? '' : `, ${countOf(Math.max(0, messages - copiedMessages), 'new msg')}`
}

/** The format a line links to: the one just written, or any the session was exported in. */
function shownFormat(entry: IndexEntry, preferredFormat: string): string {
  return entry.files[preferredFormat] === undefined ? Object.keys(entry.files)[0] : preferredFormat
}

function linkTo(entry: IndexEntry, preferredFormat: string): string {
  const file = entry.files[shownFormat(entry, preferredFormat)]
  return encodeURI(file.split(path.sep).join('/')).replaceAll('(', '%28').replaceAll(')', '%29')
}

/** The size of the file linked to: an agent reads a small one whole, and searches a large one. */
function sizeText(entry: IndexEntry, preferredFormat: string): string[] {
  const bytes = entry.bytes[shownFormat(entry, preferredFormat)]
  if (bytes === null || bytes === undefined) return []
  return [bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`]
}

function keyOf(agent: string, id: string): string {
  return `${agent}/${id}`
}

/** Sessions of the same time in the order of their keys: the order they were exported in varies from run to run. */
function newestFirst(a: IndexEntry, b: IndexEntry): number {
  return (b.updatedAt ?? b.createdAt ?? '').localeCompare(a.updatedAt ?? a.createdAt ?? '') || byKey(a, b)
}

function byKey(a: IndexEntry, b: IndexEntry): number {
  const [first, second] = [keyOf(a.agent, a.id), keyOf(b.agent, b.id)]
  return first < second ? -1 : first > second ? 1 : 0
}
