import type {MatchPlace, SearchMatch, SessionMatches} from '../model/search-result.js'
import type {Block, Session} from '../model/session.js'
import {type ContentOptions, prepareSession} from './transform.js'

/** Matches shown per session unless asked otherwise: enough to judge whether to open it; the rest are counted. */
export const MATCHES_SHOWN = 3
/** Characters of context kept before and after a match in a snippet. */
const BEFORE = 50
const AFTER = 80

export interface SearchPattern {
  pattern: string
  /** The pattern is a regular expression (JavaScript syntax), not plain text. */
  regex: boolean
  /** Null: ignore case unless the pattern has a capital letter, as ripgrep's smart case does. */
  caseSensitive: boolean | null
}

/** The pattern as a regular expression; throws a clear error for an invalid one. */
export function compilePattern({caseSensitive, pattern, regex}: SearchPattern): RegExp {
  // An empty pattern matches everywhere: a search for nothing (an unset variable) says so instead.
  if (pattern === '') throw new Error('nothing to search for: give a text (or a regular expression, with --regex), or a tool with --tool')
  const source = regex ? pattern : pattern.replaceAll(/[$()*+.?[\\\]^{|}]/g, String.raw`\$&`)
  const ignoreCase = caseSensitive === null ? pattern === pattern.toLowerCase() : !caseSensitive
  try {
    return new RegExp(source, ignoreCase ? 'i' : '')
  } catch (error) {
    throw new Error(`not a valid regular expression: ${(error as Error).message}`)
  }
}

/**
 * Searches a session as the options shape it (without tool calls or thinking if asked, secrets
 * redacted); `copiesToSkip` says how many of its first messages not to search.
 */
export function searchShaped(read: Session, pattern: RegExp | null, options: ShapedSearch, copiesToSkip: (session: Session) => number): {session: Session; found: SessionMatches} {
  const {session} = prepareSession(read, {...options, attachments: true, maxOutputChars: null})
  return {found: searchSession(session, pattern, {onlyTools: options.onlyTools, shown: options.shown, skipMessages: copiesToSkip(session)}), session}
}

/** The options that shape what is searched, and how many matches a session shows. */
export interface ShapedSearch extends Pick<ContentOptions, 'redact' | 'thinking' | 'tools'>, Required<Pick<Scope, 'onlyTools' | 'shown'>> {}

/** Where in a session to search, and how many matches to show. */
export interface Scope {
  /** The first messages not to search (a fork's copies, found in its original). */
  skipMessages?: number
  shown?: number
  /**
   * Only the calls of these tools and their outputs, named in lower case (`Bash` and Pi's `bash`
   * alike); null: everywhere.
   */
  onlyTools?: ReadonlySet<string> | null
}

/**
 * Every place in a session that matches, the first `shown` of them with a snippet. Without a
 * pattern, every call of `onlyTools` is a match.
 */
export function searchSession(session: Session, pattern: RegExp | null, {onlyTools = null, shown = MATCHES_SHOWN, skipMessages = 0}: Scope = {}): SessionMatches {
  const result: SessionMatches = {matches: [], total: 0}
  const test = (text: string, where: Omit<SearchMatch, 'snippet'>) => {
    // No pattern: the place itself is the match, shown from its start.
    const found = pattern ? pattern.exec(text) : null
    // An empty match (a pattern like `a*`) says nothing about the text.
    if (pattern && (!found || found[0].length === 0)) return
    result.total++
    if (result.matches.length < shown) result.matches.push({...where, snippet: snippetAround(text, found?.index ?? 0, found?.[0].length ?? 0)})
  }

  if (!onlyTools) test(session.title, {place: 'title', role: null, timestamp: null, tool: null})
  const toolNames = new Map<string, string>()
  for (const [index, message] of session.messages.entries()) {
    for (const block of message.blocks) {
      if (block.type === 'tool_call') toolNames.set(block.id, block.name)
      const searched = index < skipMessages ? null : searchedText(block, toolNames)
      if (searched && (!onlyTools || isCallOf(searched, onlyTools, pattern !== null))) test(searched.text, {place: searched.place, role: message.role, timestamp: message.timestamp, tool: searched.tool})
    }
  }

  return result
}

/** A call of one of `tools`, or its output when a pattern is looked for in it. */
function isCallOf(searched: {place: MatchPlace; tool: string | null}, tools: ReadonlySet<string>, outputsToo: boolean): boolean {
  const place = searched.place === 'tool call' || (outputsToo && searched.place === 'tool output')
  return place && searched.tool !== null && tools.has(searched.tool.toLowerCase())
}

function searchedText(block: Block, toolNames: ReadonlyMap<string, string>): {text: string; place: MatchPlace; tool: string | null} | null {
  switch (block.type) {
    case 'text': {
      return {place: 'text', text: block.text, tool: null}
    }

    case 'thinking': {
      return {place: 'thinking', text: block.text, tool: null}
    }

    case 'tool_call': {
      // The input as the agent sent it: a path or a command is found wherever it sits in it.
      return {place: 'tool call', text: JSON.stringify(block.input) ?? '', tool: block.name}
    }

    case 'tool_result': {
      return {place: 'tool output', text: block.output, tool: toolNames.get(block.callId) ?? null}
    }

    case 'event': {
      return {place: 'event', text: block.text, tool: null}
    }

    case 'attachment': {
      return block.name === null ? null : {place: 'attachment', text: block.name, tool: null}
    }
  }
}

/** The match and a little around it, whitespace folded to single spaces, cuts marked with `…`. */
export function snippetAround(text: string, index: number, length: number): string {
  const start = wholeCharacter(text, Math.max(0, index - BEFORE))
  const end = wholeCharacter(text, Math.min(text.length, index + length + AFTER))
  const inner = text.slice(start, end).replaceAll(/\s+/g, ' ').trim()
  return `${start > 0 ? '…' : ''}${inner}${end < text.length ? '…' : ''}`
}

/** Moves a cut off the second half of a surrogate pair, so no character is split. */
function wholeCharacter(text: string, at: number): number {
  const code = text.charCodeAt(at)
  return at > 0 && at < text.length && code >= 0xdc_00 && code <= 0xdf_ff ? at - 1 : at
}

/** Colours every match in a snippet bold red, as grep does on a terminal; the pattern is compiled for it once. */
export function highlighter(pattern: RegExp): (snippet: string) => string {
  const everywhere = new RegExp(pattern.source, `${pattern.flags}g`)
  return (snippet) => snippet.replaceAll(everywhere, (found) => (found === '' ? found : `\u001B[1;31m${found}\u001B[0m`))
}

/**
 * Each line of an export's text, given in pieces of whole lines, where `pattern` matches: a line
 * does not say which message or call it is part of.
 */
export function searchLines(pieces: Iterable<string>, pattern: RegExp, shown: number): SessionMatches {
  const result: SessionMatches = {matches: [], total: 0}
  const linesThatMayMatch = lineFinder(pattern)
  for (const piece of pieces) {
    for (const line of linesThatMayMatch(piece)) {
      const found = pattern.exec(line)
      if (!found || found[0].length === 0) continue
      result.total++
      if (result.matches.length < shown) result.matches.push({place: 'export', role: null, snippet: snippetAround(line, found.index, found[0].length), timestamp: null, tool: null})
    }
  }

  return result
}

/** A lookahead or lookbehind: in a line alone, it meets the line's ends where the whole text has more. */
const LOOKAROUND = /\(\?<?[=!]/

/**
 * For `pattern`, the lines of a text in which it may match, in order: those where the pattern,
 * made to treat each line's ends as `^` and `$`, finds a match in the whole text. A native scan
 * of the whole text skips the lines without one, where splitting it made a string of every line.
 * A pattern that looks around is tried on every line, as the scan could miss where it matches.
 * Compiled once for all the pieces of an export.
 */
function lineFinder(pattern: RegExp): (text: string) => Iterable<string> {
  if (LOOKAROUND.test(pattern.source)) return (text) => text.split('\n')
  const anywhere = new RegExp(pattern.source, `${pattern.flags.replaceAll(/[gmy]/g, '')}gm`)
  return function* (text) {
    // From the start of each text: the last may have ended on its last line, with the place kept.
    anywhere.lastIndex = 0
    for (let found = anywhere.exec(text); found !== null; found = anywhere.exec(text)) {
      const start = found.index === 0 ? 0 : text.lastIndexOf('\n', found.index - 1) + 1
      const end = text.indexOf('\n', found.index)
      yield text.slice(start, end === -1 ? text.length : end)
      if (end === -1) return
      anywhere.lastIndex = end + 1
    }
  }
}
