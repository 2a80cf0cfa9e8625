/**
 * What a session's text may open and leave open, and the Markdown that would follow it would fall
 * into: a code fence (an interrupted reply often ends inside one), an HTML comment, `<script>`,
 * `<pre>`… block, or a `<details>`. Each text is read on its own, as CommonMark reads blocks,
 * and what it leaves open is closed at its end, or, where closing would hide the text (an HTML
 * comment never ended), its start is escaped so that it shows as typed.
 */
export function containedMarkdown(text: string): string[] {
  // Most texts hold none of the characters that can open such a block.
  if (!/[`~<]/.test(text)) return [text]
  let shown = text
  for (let scan = scanBlocks(shown); ; scan = scanBlocks(shown)) {
    if (scan.unendedHtmlAt === null) return [shown, ...closers(shown, scan)]
    // A backslash makes the `<` plain text: the block never starts, and the lines after it are read again.
    shown = `${shown.slice(0, scan.unendedHtmlAt)}\\${shown.slice(scan.unendedHtmlAt)}`
  }
}

interface BlockScan {
  /** The fence a code block was opened with and not closed, if any. */
  openFence: string | null
  /** Where an HTML block that only a marker can end (a comment, `<pre>`…) starts, if the text never ends it. */
  unendedHtmlAt: number | null
  /** `<details>` opened and not closed. */
  openDetails: number
}

function closers(text: string, scan: BlockScan): string[] {
  const pieces: string[] = []
  if (scan.openFence !== null) pieces.push(`${text.endsWith('\n') ? '' : '\n'}${scan.openFence}`)
  if (scan.openDetails > 0) pieces.push('\n\n', '</details>\n'.repeat(scan.openDetails).trimEnd())
  return pieces
}

const FENCE = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/
/** CommonMark's HTML blocks 1 to 5, which end only at their marker, not at a blank line: each start and its end. */
const MARKED_HTML: Array<[RegExp, RegExp]> = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
]
/** CommonMark's HTML blocks 6 (block tags) and 7 (any tag alone on its line): they end at a blank line. */
const BLOCK_TAG =
  /^ {0,3}<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[\s>]|\/>|$)/i
const LONE_TAG = /^ {0,3}(?:<[A-Za-z][\w-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][\w-]*\s*>)\s*$/
const DETAILS_OPEN = /<details(?:[\s>]|$)/gi
const DETAILS_CLOSE = /<\/details\s*>/gi

/**
 * One pass over the lines, in CommonMark's terms: fenced code, HTML blocks, paragraphs. A line is
 * taken out of the text only when its first character can open or close something, so that the
 * long texts of a session (most of them prose and code) cost a look at each line's start.
 */
function scanBlocks(text: string): BlockScan {
  let fence: {marker: string; length: number} | null = null
  let html: {end: RegExp | null; at: number} | null = null
  let inParagraph = false
  let openDetails = 0
  let nextTag = -1
  for (let at = 0; at <= text.length; ) {
    const newline = text.indexOf('\n', at)
    const end = newline === -1 ? text.length : newline
    const first = firstNonBlank(text, at, end)
    const lineAt = at
    at = end + 1
    const blank = first === end
    const indented = first - lineAt > 3
    const opener = indented ? 0 : text.charCodeAt(first)
    if (fence) {
      if (opener === fence.marker.charCodeAt(0)) {
        const closing = FENCE.exec(text.slice(lineAt, end))
        if (closing && closing[1][0] === fence.marker && closing[1].length >= fence.length && text.slice(first, end).trim() === closing[1]) fence = null
      }

      continue
    }

    if (nextTag < lineAt) nextTag = text.indexOf('<', lineAt)
    if (nextTag !== -1 && nextTag < end) openDetails += detailsBalance(text.slice(lineAt, end))
    if (html) {
      if (html.end === null ? blank : html.end.test(text.slice(lineAt, end))) html = null
      continue
    }

    if (opener === BACKTICK || opener === TILDE) {
      const opening = FENCE.exec(text.slice(lineAt, end))
      if (opening) {
        fence = {length: opening[1].length, marker: opening[1][0]}
        inParagraph = false
        continue
      }
    } else if (opener === LESS_THAN) {
      const line = text.slice(lineAt, end)
      const marked = MARKED_HTML.find(([startsWith]) => startsWith.test(line))
      if (marked) {
        // Its end may be on the same line.
        html = marked[1].test(line.slice(first - lineAt + 2)) ? null : {at: first, end: marked[1]}
        inParagraph = false
        continue
      }

      // A lone tag (7) cannot interrupt a paragraph; a block tag (6) can.
      if (BLOCK_TAG.test(line) || (!inParagraph && LONE_TAG.test(line))) {
        html = {at: first, end: null}
        inParagraph = false
        continue
      }
    }

    inParagraph = !blank && !indented
  }

  return {openDetails: Math.max(0, openDetails), openFence: fence ? fence.marker.repeat(fence.length) : null, unendedHtmlAt: html?.end ? html.at : null}
}

const BACKTICK = 0x60
const TILDE = 0x7e
const LESS_THAN = 0x3c

/** Where a line's first character other than a space or a tab is (the line's end, for a blank line). */
function firstNonBlank(text: string, at: number, end: number): number {
  let index = at
  while (index < end && (text.charCodeAt(index) === 0x20 || text.charCodeAt(index) === 0x09)) index++
  return index
}

function detailsBalance(line: string): number {
  return (line.match(DETAILS_OPEN)?.length ?? 0) - (line.match(DETAILS_CLOSE)?.length ?? 0)
}
