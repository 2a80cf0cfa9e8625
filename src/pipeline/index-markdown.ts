import path from 'node:path'
import {countOf} from '../count.js'
import {homeNamed, pathInside} from '../display-path.js'
import {oneLine} from '../kit/one-line.js'
import {lastActive} from '../last-active.js'
import {printable} from '../printable.js'
import type {IndexEntry} from '../model/index-document.js'
import {keyOf} from './index-entry.js'
import {calendarParts, type Family, type IndexPart, linesIn, partFile, UNDATED} from './index-parts.js'
import {shortId} from './names.js'
import {RewriteCache} from './rewrite-cache.js'

export const INDEX_MARKDOWN = 'INDEX.md'
export const INDEX_HEADING = '# Session index'
/**
 * The lines INDEX.md holds at most (a session with more subagents goes whole): about 15,000
 * tokens, which an agent's file reader takes in one read (Claude Code's Read takes 25,000). The
 * earlier sessions go into a file per month, or a busy month's parts, of as many lines at most.
 */
const NEWEST_LINES = 150
/** Enough to tell sessions apart in a line; index.json has them all. */
const CHANGED_FILES_SHOWN = 3

/** The names of the Markdown index files for these sessions: INDEX.md, and the files of the earlier ones when they do not all fit. */
export function markdownIndexNames(entries: IndexEntry[]): string[] {
  return [INDEX_MARKDOWN, ...partsOf(split(families(entries, byKeyOf(entries))).earlier).map(({name}) => partFile(name))]
}

/** The Markdown index files' texts by name. */
export function markdownIndexFiles(entries: IndexEntry[], preferredFormat: string): Map<string, string> {
  const byKey = byKeyOf(entries)
  const {earlier, newest} = split(families(entries, byKey))
  // An export of several projects (`--workspace /`, an archive) says which one each session is of.
  const showWorkspace = new Set(entries.map((entry) => entry.workspace)).size > 1
  const linesOf = (listed: Family[]) => listed.flatMap(({members}) => members.map(({depth, entry}) => {
    const original = entry.forkedFrom ? byKey.get(keyOf(entry.agent, entry.forkedFrom)) : undefined
    return `${'  '.repeat(depth)}- ${keptLine(entry, original, preferredFormat, showWorkspace)}`
  }))
  const sessions = countOf(entries.length, 'exported session')
  // Said only where a month is in parts: the index of a smaller history reads as it did.
  const busyMonths = [...earlier.values()].some((parts) => parts.length > 1) ? " (a busy month's in a file per week, day or hour)" : ''
  const whereEarlier = earlier.size === 0 ? '' : ` Here the newest ${countOf(linesIn(newest), 'session')}; the earlier ones are in a file per month${busyMonths}, linked at the end (\`grep -h <text> INDEX*.md\` searches them all).`
  const files = new Map([[INDEX_MARKDOWN, indexText(`${sessions}, newest first; ${UNDER_PARENT}${whereEarlier}`, showWorkspace, linesOf(newest), monthLinks(earlier))]])
  for (const {families: listed, name, when} of partsOf(earlier)) {
    files.set(partFile(name), indexText(`${countOf(linesIn(listed), 'exported session')} ${when}, newest first; ${UNDER_PARENT} The newest sessions are in [${INDEX_MARKDOWN}](${INDEX_MARKDOWN}), which links every month.`, showWorkspace, linesOf(listed), []))
  }

  return files
}

const UNDER_PARENT = 'subagent sessions are listed under the session that started them.'

function partsOf(earlier: Map<string, IndexPart[]>): IndexPart[] {
  return [...earlier.values()].flat()
}

function byKeyOf(entries: IndexEntry[]): Map<string, IndexEntry> {
  return new Map(entries.map((entry) => [keyOf(entry.agent, entry.id), entry]))
}

/** Sessions newest first, each followed by its subagents (and theirs), a level deeper. */
function families(entries: IndexEntry[], byKey: Map<string, IndexEntry>): Family[] {
  const parentOf = (entry: IndexEntry) => (entry.parentId ? byKey.get(keyOf(entry.agent, entry.parentId)) : undefined)
  const children = new Map<IndexEntry, IndexEntry[]>()
  for (const entry of entries) {
    const parent = parentOf(entry)
    if (parent) children.set(parent, children.get(parent)?.concat(entry) ?? [entry])
  }

  const seen = new Set<IndexEntry>()
  const add = (members: Family['members'], entry: IndexEntry, depth: number) => {
    if (seen.has(entry)) return
    seen.add(entry)
    members.push({depth, entry})
    for (const child of children.get(entry) ?? []) add(members, child, depth + 1)
  }

  return entries.filter((entry) => !parentOf(entry)).map((entry) => {
    const members: Family['members'] = []
    add(members, entry, 0)
    return {members, time: lastActive(entry)}
  })
}

/** The newest families while they fit INDEX.md (the first always does), and the others by month, newest first, in the files each is written in. */
function split(all: Family[]): {earlier: Map<string, IndexPart[]>; newest: Family[]} {
  let lines = 0
  let fitting = 0
  while (fitting < all.length && (fitting === 0 || lines + all[fitting].members.length <= NEWEST_LINES)) lines += all[fitting++].members.length
  return {earlier: calendarParts(all.slice(fitting), NEWEST_LINES), newest: all.slice(0, fitting)}
}

/** A line per month; a month in parts has a line per part under it. */
function monthLinks(earlier: Map<string, IndexPart[]>): string[] {
  if (earlier.size === 0) return []
  const link = ({families, label, name}: IndexPart) => `[${label}](${partFile(name)}): ${countOf(linesIn(families), 'session')}`
  const links = [...earlier].flatMap(([month, parts]) => {
    if (parts.length === 1) return [`- ${link(parts[0])}`]
    return [`- ${month}: ${countOf(linesIn(parts.flatMap(({families}) => families)), 'session')}, in ${parts.length} files`, ...parts.map((part) => `  - ${link(part)}`)]
  })
  return ['', '## Earlier sessions, by month of their last activity (UTC)', '', ...links]
}

function indexText(about: string, showWorkspace: boolean, lines: string[], after: string[]): string {
  const legend = `Each line: day of the last activity (UTC) · agent · ${showWorkspace ? 'project folder · ' : ''}branch · title (link) · messages, tool calls and size [· source gone since the day a sync found the agent had deleted the session: its export is all that is left] [· the session it was forked from, and how many messages are new] [· files it changed] — summary or first request, unless the title already says it.`
  return [INDEX_HEADING, '', about, legend, '', ...lines, ...after, ''].join('\n')
}

/** Each entry's line as the last index wrote it, while nothing it shows changed: a watch writes the index after every export. */
const keptLines = new RewriteCache<IndexEntry, {original: IndexEntry | undefined; preferredFormat: string; showWorkspace: boolean; text: string}>()

function keptLine(entry: IndexEntry, original: IndexEntry | undefined, preferredFormat: string, showWorkspace: boolean): string {
  const kept = keptLines.get(entry)
  if (kept && kept.original === original && kept.preferredFormat === preferredFormat && kept.showWorkspace === showWorkspace) return kept.text
  const text = line(entry, original, preferredFormat, showWorkspace)
  keptLines.set(entry, {original, preferredFormat, showWorkspace, text})
  return text
}

function line(entry: IndexEntry, original: IndexEntry | undefined, preferredFormat: string, showWorkspace: boolean): string {
  const date = lastActive(entry).slice(0, 10) || UNDATED
  const title = linkText(oneLine(entry.title, 100) || 'Untitled')
  const parts = [date, entry.agent, ...(showWorkspace ? [homeNamed(entry.workspace)] : []), entry.branch ?? '-', `[${title}](${linkTo(entry, preferredFormat)})`, [countOf(entry.messages, 'msg'), countOf(entry.toolCalls, 'tool call'), ...sizeText(entry, preferredFormat)].join(', ')]
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

