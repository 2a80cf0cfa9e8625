/** Stands for YAML this reader leaves to the library: anything but the shapes it knows. */
export const NOT_SIMPLE = Symbol('not simple YAML')

const TOP_KEY = /^([A-Za-z_][\w-]*):(?: (.*))?$/
const NESTED_KEY = /^ {2}([A-Za-z_][\w-]*): (.*)$/
const LIST_ITEM = /^ {2}- (.*)$/
/** Keys that read as something else than a string in YAML 1.2, or would set an object's prototype. */
const SPECIAL_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|__proto__)$/
const DOUBLE_QUOTED = /^"([^"\\]*)"$/
const SINGLE_QUOTED = /^'((?:[^']|'')*)'$/
/** A plain scalar that starts with an indicator, holds a comment or a key, or ends where its text does not. */
const PLAIN_OUT_OF_REACH = /^[\s,[\]{}#&*!|>'"%@`?:-]|: | #|[\s:]$/
/** The numbers of YAML 1.2's core schema in notations other than `NUMBER`'s: left to the library. */
const OTHER_NUMBER = /^(?:[-+]?\d+|0o[0-7]+|0x[\da-fA-F]+|[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/
const NULL = /^(?:~|null|Null|NULL)$/
const TRUE = /^(?:true|True|TRUE)$/
const FALSE = /^(?:false|False|FALSE)$/

/**
 * A map read from YAML in the shapes the Markdown writer's front matter is made of: top-level keys
 * with scalars, `[]` (no models), or one level of lists and maps of scalars (`models:`, `tools:`).
 * `NOT_SIMPLE` for anything else (a text of several lines, a comment, quotes with escapes, a
 * number in another notation), which the YAML library reads; where this reads, it reads what the
 * library does. Reading an export's front matter with the library took 0.4 ms; a state lost
 * beside 2,000 exports cost a sync most of a second in it.
 */
export function simpleYaml(text: string): Record<string, unknown> | typeof NOT_SIMPLE {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  // An empty document is null to the library, not a map.
  if (lines.length === 0) return NOT_SIMPLE
  const map: Record<string, unknown> = {}
  for (let index = 0; index < lines.length; ) {
    const [, key, rest] = TOP_KEY.exec(lines[index]) ?? []
    const nested = rest === undefined ? indentedAfter(lines, index) : []
    const value = rest === undefined ? block(nested) : rest === '[]' ? [] : scalar(rest)
    if (!newKey(map, key) || value === NOT_SIMPLE) return NOT_SIMPLE
    map[key] = value
    index += 1 + nested.length
  }

  return map
}

/** The lines under the key on line `index`: those indented after it. */
function indentedAfter(lines: readonly string[], index: number): string[] {
  let end = index + 1
  while (end < lines.length && lines[end].startsWith(' ')) end++
  return lines.slice(index + 1, end)
}

/** A list or a map of scalars, an item or a field a line; null for no lines (`key:` alone). */
function block(lines: readonly string[]): unknown {
  if (lines.length === 0) return null
  if (LIST_ITEM.test(lines[0])) {
    const items = lines.map((line) => scalar(LIST_ITEM.exec(line)?.[1] ?? ''))
    return items.includes(NOT_SIMPLE) ? NOT_SIMPLE : items
  }

  const fields: Record<string, unknown> = {}
  for (const line of lines) {
    const [, key, rest] = NESTED_KEY.exec(line) ?? []
    const value = rest === undefined ? NOT_SIMPLE : scalar(rest)
    if (!newKey(fields, key) || value === NOT_SIMPLE) return NOT_SIMPLE
    fields[key] = value
  }

  return fields
}

/** Whether `key` is one the library reads as a string, not yet in `map` (the library refuses a key given twice). */
function newKey(map: Record<string, unknown>, key: string | undefined): key is string {
  return key !== undefined && !SPECIAL_KEY.test(key) && !Object.hasOwn(map, key)
}

function scalar(text: string): unknown {
  const doubleQuoted = DOUBLE_QUOTED.exec(text)
  if (doubleQuoted) return doubleQuoted[1]
  const singleQuoted = SINGLE_QUOTED.exec(text)
  if (singleQuoted) return singleQuoted[1].replaceAll("''", "'")
  if (NULL.test(text)) return null
  if (TRUE.test(text)) return true
  if (FALSE.test(text)) return false
  if (NUMBER.test(text)) return Number(text)
  return text === '' || PLAIN_OUT_OF_REACH.test(text) || OTHER_NUMBER.test(text) ? NOT_SIMPLE : text
}
