/**
 * What a session's text may open and leave open, and the Markdown that would follow it would fall
 * into: a code fence (an interrupted reply often ends inside one), an HTML comment, `<script>`,
 * `<pre>`… block, or a `<details>`. Each text is read on its own, line by line, as CommonMark
 * reads blocks at the top level; what it leaves open there is closed at its end, or, where
 * closing would hide the text (an HTML comment never ended), its start is escaped so that it shows
 * as typed. What opens inside a list item or a quote closes with it, before the next turn, so
 * only the top level needs this.
 */
export function containedMarkdown(text: string): string[] {
  // Most texts hold none of the characters that can open such a block.
  if (!/[`~<]/.test(text)) return [text]
  const scan = scanBlocks(text)
  const shown = scan.escapeAt.length === 0 ? text : withBackslashesAt(text, scan.escapeAt)
  const closers: string[] = []
  if (scan.openFence !== null) closers.push(`${shown.endsWith('\n') ? '' : '\n'}${scan.openFence}`)
  if (scan.openDetails > 0) closers.push(`\n\n${'</details>\n'.repeat(scan.openDetails).trimEnd()}`)
  return [shown, ...closers]
}

interface BlockScan {
  /** The fence a code block was opened with and not closed, if any. */
  openFence: string | null
  /** Where HTML blocks start that only a marker can end (a comment, `<pre>`…), and the text never ends. */
  escapeAt: number[]
  /** `<details>` opened and not closed. */
  openDetails: number
}

const FENCE = /^(`{3,}(?=[^`]*$)|~{3,})/
/** CommonMark's HTML blocks 1 to 5, which end only at their marker, not at a blank line: each start and its end. */
const MARKED_HTML: Array<{starts: RegExp; ends: string | RegExp}> = [
  {ends: /<\/(?:script|pre|style|textarea)>/gi, starts: /^<(?:script|pre|style|textarea)(?:[\s>]|$)/i},
  {ends: '-->', starts: /^<!--/},
  {ends: '?>', starts: /^<\?/},
  {ends: ']]>', starts: /^<!\[CDATA\[/},
  {ends: '>', starts: /^<![A-Za-z]/},
]
/** CommonMark's HTML blocks 6 (block tags) and 7 (any tag alone on its line): they end at a blank line. */
const BLOCK_TAG =
  /^<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[\s>]|\/>|$)/i
const LONE_TAG = /^(?:<[A-Za-z][\w-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][\w-]*\s*>)\s*$/
const LIST_ITEM = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)/
/** Lines that end a paragraph without starting anything that needs closing: headings, rules. */
const HEADING_OR_RULE = /^(?:#{1,6}(?:[ \t]|$)|(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$)/
const SETEXT_UNDERLINE = /^(?:=+|-+)[ \t]*$/
/** Code spans and escaped brackets: a `<details>` in them opens nothing. */
const NOT_A_TAG = /(?<!`)(`+)(?!`)[^]*?(?<!`)\1(?!`)|\\</g
const DETAILS_OPEN = /<details(?:[\s>]|$)/gi
const DETAILS_CLOSE = /<\/details\s*>/gi

/**
 * One pass over the lines. A line is taken out of the text only when its first character can
 * open or close something, so that the long texts of a session cost a look at each line's start.
 */
function scanBlocks(text: string): BlockScan {
  let fence: {marker: string; length: number} | null = null
  let html: {end: RegExp | string | null} | null = null
  /** Content column of the list item the lines are in, if any. */
  let listIndent: number | null = null
  let inParagraph = false
  let openDetails = 0
  /** The next `<` from here: looked for again only once passed, so a long text without one is searched once. */
  let nextTag = -1
  // An element left open in a list item or a quote closes with it in a browser; counted anyway:
  // a `</details>` too many is ignored, one too few folds the rest of the session.
  const countDetails = (lineAt: number, end: number, inline = true) => {
    if (nextTag < lineAt) nextTag = text.indexOf('<', lineAt)
    if (nextTag !== -1 && nextTag < end) openDetails += detailsBalance(text.slice(lineAt, end), inline)
  }

  const escapeAt: number[] = []
  const lastEnds = new LastEnds(text)
  for (let at = 0; at <= text.length; ) {
    const newline = text.indexOf('\n', at)
    const lineEnd = newline === -1 ? text.length : newline
    // A CRLF line ends before its CR.
    const end = lineEnd > at && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd
    const {column, first} = indentation(text, at, end)
    const blank = first === end
    const lineAt = at
    at = lineEnd + 1
    if (fence) {
      if (column < 4 && text.charCodeAt(first) === fence.marker.charCodeAt(0)) {
        const line = text.slice(first, end).trimEnd()
        const closing = FENCE.exec(line)
        if (closing && closing[1] === line && closing[1][0] === fence.marker && closing[1].length >= fence.length) fence = null
      }

      continue
    }

    if (html) {
      // What follows the end of a comment on its line is HTML again: counted with the rest.
      if (html.end === null ? blank : endsIn(text.slice(lineAt, end), html.end)) html = null
      countDetails(lineAt, end, false)
      continue
    }

    if (listIndent !== null) {
      // Blank, or indented to the item's content: inside the item, which closes what opens in it.
      if (blank || column >= listIndent) {
        countDetails(lineAt, end)
        continue
      }

      listIndent = null
    }

    if (blank) {
      inParagraph = false
      continue
    }

    if (column >= 4) {
      // Indented code opens nothing; a paragraph it continues may hold an inline tag.
      if (inParagraph) countDetails(lineAt, end)
      continue
    }

    const opener = text.charCodeAt(first)
    if (opener === BACKTICK || opener === TILDE) {
      const opening = FENCE.exec(text.slice(first, end))
      if (opening) {
        fence = {length: opening[1].length, marker: opening[1][0]}
        inParagraph = false
        continue
      }
    } else if (opener === LESS_THAN) {
      const line = text.slice(first, end)
      const marked = MARKED_HTML.find(({starts}) => starts.test(line))
      if (marked) {
        // Ended only if its marker comes after its start (on the same line, after the opener).
        if (lastEnds.of(marked.ends) >= first + 2) {
          html = endsIn(line.slice(2), marked.ends) ? null : {end: marked.ends}
          countDetails(lineAt, end, false)
          inParagraph = false
          continue
        }

        // Never ended: shown as text, and the lines after it are read as they come.
        escapeAt.push(first)
      } else if (BLOCK_TAG.test(line) || (!inParagraph && LONE_TAG.test(line))) {
        // A lone tag (7) cannot interrupt a paragraph; a block tag (6) can.
        html = {end: null}
        countDetails(lineAt, end, false)
        inParagraph = false
        continue
      }
    } else if (opener === GREATER_THAN) {
      // A quote closes what opens in it at its last line; a paragraph in it may go on lazily.
      countDetails(lineAt, end)
      inParagraph = true
      continue
    }

    const line = text.slice(first, end)
    if ((inParagraph && SETEXT_UNDERLINE.test(line)) || HEADING_OR_RULE.test(line)) {
      inParagraph = false
      continue
    }

    const item = LIST_ITEM.exec(line)
    // Only a bullet or a list starting at 1, with something in it, can interrupt a paragraph.
    if (item && (!inParagraph || (/^(?:[-+*]|1[.)])/.test(item[0]) && item[0].length < line.length))) {
      listIndent = column + item[0].length + (item[0].trimEnd().length === item[0].length ? 1 : 0)
      countDetails(lineAt, end)
      inParagraph = false
      continue
    }

    inParagraph = true
    countDetails(lineAt, end)
  }

  return {escapeAt, openDetails: Math.max(0, openDetails), openFence: fence ? fence.marker.repeat(fence.length) : null}
}

const CR = 0x0d
const BACKTICK = 0x60
const TILDE = 0x7e
const LESS_THAN = 0x3c
const GREATER_THAN = 0x3e

/** Where a line's first character other than a space or a tab is, and its column (a tab stops at the next multiple of four). */
function indentation(text: string, at: number, end: number): {column: number; first: number} {
  let column = 0
  let index = at
  for (; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code === 0x20) column++
    else if (code === 0x09) column += 4 - (column % 4)
    else break
  }

  return {column, first: index}
}

function endsIn(line: string, end: RegExp | string): boolean {
  if (typeof end === 'string') return line.includes(end)
  end.lastIndex = 0
  return end.test(line)
}

/** The last place each end marker appears in the text, found once: whether an HTML block ends is then one comparison. */
class LastEnds {
  private readonly found = new Map<RegExp | string, number>()

  constructor(private readonly text: string) {}

  of(end: RegExp | string): number {
    let last = this.found.get(end)
    if (last === undefined) {
      if (typeof end === 'string') last = this.text.lastIndexOf(end)
      else for (const match of this.text.matchAll(end)) last = match.index
      this.found.set(end, last ?? -1)
    }

    return last ?? -1
  }
}

/** In raw HTML (`inline` false), backticks and backslashes are only characters. */
function detailsBalance(line: string, inline: boolean): number {
  const tags = inline ? line.replaceAll(NOT_A_TAG, '') : line
  return (tags.match(DETAILS_OPEN)?.length ?? 0) - (tags.match(DETAILS_CLOSE)?.length ?? 0)
}

function withBackslashesAt(text: string, positions: readonly number[]): string {
  let shown = ''
  let copied = 0
  for (const position of positions) {
    shown += `${text.slice(copied, position)}\\`
    copied = position
  }

  return shown + text.slice(copied)
}
