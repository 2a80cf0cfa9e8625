import {escapeString} from '@toon-format/toon'

/**
 * TOON's tabular arrays (an array of objects with the same primitive fields: a header with the
 * field names, then a line a row), written as the `@toon-format/toon` library writes them, byte
 * for byte, in a fraction of its time: on a long text the library runs a regular expression
 * that scans the whole string for a space at its end, then six `replace` passes to escape it,
 * where one native `JSON.stringify` escapes exactly the same characters the same way. The
 * export's block table is nearly all of a session, so this is most of a TOON export's time.
 */

type Cell = string | number | boolean | null

/** The rows' field names when TOON writes them as a table (as the library decides), or null. */
export function tableFields(rows: readonly unknown[]): string[] | null {
  const first = rows[0]
  if (!isPlainObject(first)) return null
  const fields = Object.keys(first)
  if (fields.length === 0) return null
  for (const row of rows) {
    if (!isPlainObject(row) || Object.keys(row).length !== fields.length) return null
    for (const field of fields) if (!Object.hasOwn(row, field) || !isCell(row[field])) return null
  }

  return fields
}

/** The header line and the row lines of a table at the document's top level. */
export function* tableLines(key: string, rows: readonly Record<string, unknown>[], fields: readonly string[]): Iterable<string> {
  yield `${encodeKey(key)}[${rows.length}]{${fields.map(encodeKey).join(',')}}:`
  // Joined by hand: a map and a join would make an array for each row.
  for (const row of rows) {
    let line = `  ${encodeCell(row[fields[0]] as Cell)}`
    for (let index = 1; index < fields.length; index++) line += `,${encodeCell(row[fields[index]] as Cell)}`
    yield line
  }
}

function encodeCell(value: Cell): string {
  if (value === null) return 'null'
  // String(-0) is '0', as TOON wants; NaN and the infinities have no TOON form but null.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'boolean') return String(value)
  // An unpaired surrogate has no UTF-8 form: U+FFFD, as in every other format's file.
  const text = value.toWellFormed()
  if (isSafeUnquoted(text)) return text
  // JSON writes backspace and form feed as \b and \f, which TOON does not have.
  return text.includes('\b') || text.includes('\f') ? `"${escapeString(text)}"` : JSON.stringify(text)
}

/** A character anywhere in a string that makes TOON quote it (the comma is the table's delimiter). */
const QUOTED_FOR = /[:"\\[\]{},\u0000-\u001F]/
const NUMBER_LIKE = /^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i

/** TOON's rule for a string written without quotes, its end checks made on two characters. */
function isSafeUnquoted(text: string): boolean {
  if (text === '' || text === 'true' || text === 'false' || text === 'null') return false
  const first = text[0]
  const last = text[text.length - 1]
  if (first === ' ' || first === '\t' || last === ' ' || last === '\t' || first === '-' || first === '#') return false
  return !QUOTED_FOR.test(text) && !NUMBER_LIKE.test(text)
}

function encodeKey(key: string): string {
  const name = key.toWellFormed()
  return /^[A-Z_][\w.]*$/i.test(name) ? name : `"${escapeString(name)}"`
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype

const isCell = (value: unknown): value is Cell => value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
