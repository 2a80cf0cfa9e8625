import {leafOfBranch} from '../kit/left-branch.js'

/**
 * Turns untrusted strings (session ids, titles, agent and attachment names) into single,
 * portable path segments: no separators, no `..`, no control characters, no names Windows
 * reserves, bounded length. The result is never empty.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*]+/g
const MAX_SEGMENT_BYTES = 100

export function safeSegment(raw: string, fallback = 'unnamed', maxBytes = MAX_SEGMENT_BYTES): string {
  // toWellFormed: the file system lists an unpaired surrogate back as U+FFFD.
  const segment = withoutSpacesAndDotsAround(truncateUtf8(withoutSpacesAndDotsAround(raw.toWellFormed().normalize('NFC').replace(UNSAFE, '-')), maxBytes))
  if (segment === '' || /^\.+$/.test(segment)) return fallback
  return WINDOWS_RESERVED.test(segment) ? `_${segment}` : segment
}

/**
 * `<stem>-<tail>` as one safe segment, the stem cut to leave the tail whole: the tail (a session's
 * id) is what tells the name apart, and a long title in a script of several bytes a letter would
 * otherwise cut it off, giving two sessions one name.
 */
export function segmentEndingWith(stem: string, tail: string): string {
  const end = safeSegment(tail)
  const room = MAX_SEGMENT_BYTES - Buffer.byteLength(end) - 1
  const start = room > 0 ? withoutSpacesAndDotsAround(truncateUtf8(safeSegment(stem, ''), room)) : ''
  return start ? safeSegment(`${start}-${end}`) : end
}

/** A short, readable slug of a title: lowercase letters and digits of any script, dashes between words. */
export function slugify(title: string, maxLength = 48): string {
  const words = title.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  let slug = ''
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word
    if (next.length > maxLength) return slug || word.slice(0, maxLength)
    slug = next
  }

  return slug
}

/** A short id that still tells sessions apart in a folder listing: 8 letters or digits, known prefixes dropped. */
export function shortId(id: string): string {
  // A branch a session left is told from that session by its leaf.
  const leaf = leafOfBranch(id)
  if (leaf) return leaf.slice(0, 8).toLowerCase()
  const alnum = id.replace(/^(ses|session|agent)[-_]/i, '').replace(/[^a-z0-9]/gi, '')
  if (!alnum) return safeSegment(id).slice(0, 8).toLowerCase()
  // A UUID v7 (Pi's ids) begins with a timestamp that stays the same for a minute: sessions
  // started close together are told apart by its random tail.
  return (UUID_V7.test(id) ? alnum.slice(-8) : alnum.slice(0, 8)).toLowerCase()
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/i

/**
 * Spaces and dots trimmed from both ends, one character at a time: /[\s.]+$/ would try again
 * from every space of a long run inside the text, taking time growing with its square.
 */
function withoutSpacesAndDotsAround(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && SPACE_OR_DOT.test(text[start])) start++
  while (end > start && SPACE_OR_DOT.test(text[end - 1])) end--
  return text.slice(start, end)
}

const SPACE_OR_DOT = /[\s.]/

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  let result = ''
  for (const char of text) {
    if (Buffer.byteLength(result + char) > maxBytes) break
    result += char
  }

  return result
}
