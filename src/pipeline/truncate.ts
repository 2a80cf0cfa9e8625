/**
 * Cuts the middle out of a long tool output, keeping its start and its end (where build logs
 * and stack traces say what went wrong), with a marker that says how much was cut.
 */
export function truncateMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const headLength = safeBoundary(text, Math.ceil((maxChars * 2) / 3))
  const tailStart = safeBoundary(text, text.length - Math.floor(maxChars / 3))
  const cut = tailStart - headLength
  return `${text.slice(0, headLength)}\n[… ${cut.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters cut by sessionsync (--max-output-chars ${maxChars}) …]\n${text.slice(tailStart)}`
}

/** Moves an index off the middle of a surrogate pair, so no character is split in two. */
function safeBoundary(text: string, index: number): number {
  const code = text.charCodeAt(index)
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index
}
