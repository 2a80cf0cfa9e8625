import {readFileSync} from 'node:fs'
import {FileCursor, LINE_END} from './file-cursor.js'

/** What is kept of a row of the document's table `table` (an element of one of its arrays). */
export type RowKeeper = (table: string, row: unknown) => unknown

/**
 * The document of a JSON export. Its writer lays it out as `JSON.stringify(document, null, 2)`
 * does, so each of the document's members, and each row of its tables, starts and ends on lines
 * of its own: read forward, each is parsed alone and its text let go. Read whole, the 355 MB
 * export of a 1 GB session took 1.2 GB; and V8 makes no string past 512 MB, so a larger export
 * could not be read at all. A file laid out otherwise (by a user's formatter) is read whole.
 */
export function readJsonDocument(file: string, keep: RowKeeper = (_table, row) => row): unknown {
  const cursor = new FileCursor(file)
  try {
    return documentOf(cursor, keep)
  } catch {
    return JSON.parse(readFileSync(file, 'utf8'))
  } finally {
    cursor.close()
  }
}

/** The document a cursor reads, laid out as `JSON.stringify(document, null, 2)` lays it out; throws where it is not. */
export function documentOf(cursor: FileCursor, keep: RowKeeper): Record<string, unknown> {
  const line = lineOf(cursor)
  if (line() !== '{') throw new SyntaxError('not a JSON object laid out a member a line')
  const document: Record<string, unknown> = {}
  for (let member = line(); member !== '}'; member = line()) {
    if (!member.startsWith('  "')) throw new SyntaxError(`not a member of the document: ${member.slice(0, 40)}`)
    const [key, value] = member.endsWith(': [') ? tableOf(member, line, cursor, keep) : memberOf(member, line, cursor)
    // Defined, not assigned: a `__proto__` member stays a field, as JSON.parse keeps it.
    Object.defineProperty(document, key, {configurable: true, enumerable: true, value, writable: true})
  }

  if (cursor.rest().trim() !== '') throw new SyntaxError('text after the document')
  return document
}

/**
 * Where an object or array opened on a line of its own ends, by the indentation of that line:
 * every line inside it is indented further, and a string holds no raw line break.
 */
const CLOSING = {member: Buffer.from('\n  }'), object: Buffer.from('\n    }'), array: Buffer.from('\n    ]')}

type Line = () => string

/** The cursor's next line (the last may lack its line break), a Windows line break's `\r` dropped: JSON escapes it inside strings. */
function lineOf(cursor: FileCursor): Line {
  return () => {
    const ended = cursor.upTo(LINE_END)
    const text = ended ?? cursor.rest()
    if (ended === null && text === '') throw new SyntaxError('the document is cut short')
    return text.endsWith('\r') ? text.slice(0, -1) : text
  }
}

/** A member of one line, or an object over several up to its closing line at the members' indentation. */
function memberOf(first: string, line: Line, cursor: FileCursor): [string, unknown] {
  const text = first.endsWith(': {') ? `${first}${inside(CLOSING.member, line, cursor)}}` : withoutComma(first)
  const [entry] = Object.entries(JSON.parse(`{${text}}`) as object)
  return entry
}

/** A member whose value is an array: a table, its rows each parsed alone, up to its closing line. */
function tableOf(first: string, line: Line, cursor: FileCursor, keep: RowKeeper): [string, unknown[]] {
  const table = JSON.parse(first.slice(2, -': ['.length)) as string
  const rows: unknown[] = []
  for (let element = line(); !closes(element); element = line()) {
    const text = element === '    {' ? `{${inside(CLOSING.object, line, cursor)}}` : element === '    [' ? `[${inside(CLOSING.array, line, cursor)}]` : withoutComma(element)
    rows.push(keep(table, JSON.parse(text)))
  }

  return [table, rows]
}

/** What an object or array opened on the line before holds, its closing line passed. */
function inside(closing: Buffer, line: Line, cursor: FileCursor): string {
  const text = cursor.upTo(closing)
  if (text === null) throw new SyntaxError('the document is cut short')
  // What is left of the closing line: the comma before the next member or row, if any.
  if (!['', ','].includes(line())) throw new SyntaxError('a closing line with more on it')
  return text
}

/** Whether `line` closes a member's array (a table) at the members' indentation. */
function closes(line: string): boolean {
  return line === '  ]' || line === '  ],'
}

function withoutComma(text: string): string {
  return text.endsWith(',') ? text.slice(0, -1) : text
}
