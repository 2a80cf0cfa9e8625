import {createRequire} from 'node:module'

// The YAML library is loaded on first need: most exports never need it, and loading it is a
// noticeable part of a run that finds nothing to export.
const require = createRequire(import.meta.url)
let library: typeof import('yaml') | undefined

/*
 * When the YAML library writes a string without quotes (its `plainString`, YAML 1.2 core
 * schema, no line width): nothing that starts with an indicator, contains ': ' or ' #', ends
 * in a space or ':', breaks a line, marks a document, or would read back as another type.
 */
const NEEDS_QUOTES = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/
const CONTROL_OR_SURROGATE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/m
const ANOTHER_TYPE =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\d+|0o[0-7]+|0x[\da-fA-F]+|[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
/**
 * What YAML 1.1 readers (PyYAML, Ruby's, and js-yaml for dates, as front matter tools use) take
 * for a boolean, a number or a time where YAML 1.2 sees a string: a title `no`, a branch
 * `2026-03-02`, a key `y`. Quoted as well, so that every reader gets the string.
 */
const YAML_1_1_TYPE =
  /^(?:[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|<<|=|[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][\d_]*)|[-+]?0x[\da-fA-F_]+|[-+]?[1-9][\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?|[-+]?\d[\d_]*\.[\d_]*(?:[eE][-+]\d+)?|\.[\d_]+(?:[eE][-+]\d+)?|\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?)$/
const PLAIN_KEY = /^[A-Za-z_][\w-]*$/

/** Whether a plain string would read back as something else in YAML 1.2 or 1.1. */
const readsAsAnotherType = (value: string): boolean => ANOTHER_TYPE.test(value) || YAML_1_1_TYPE.test(value)

function plainString(value: string): string | null {
  const plain = value !== '' && !CONTROL_OR_SURROGATE.test(value) && !NEEDS_QUOTES.test(value) && !DOCUMENT_MARKER.test(value) && !readsAsAnotherType(value)
  return plain ? value : null
}

function scalar(value: unknown): string | null {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'number') return Number.isFinite(value) && !JSON.stringify(value).includes('e') ? JSON.stringify(value) : null
  return typeof value === 'string' ? (plainString(value) ?? quoted(value)) : null
}

/**
 * A one-line string the library quotes (it ends in a colon, reads as a number, starts with a
 * space, …) as it does: in single quotes, where nothing is escaped, when it holds `"` and no `'`
 * (an indented line of code with a string in it, as edits hold); otherwise in double quotes, when
 * there is nothing to escape. The rest, and document markers (which it writes plain or not
 * depending on where they are), are left to it.
 */
function quoted(value: string): string | null {
  if (CONTROL_OR_SURROGATE.test(value) || DOCUMENT_MARKER.test(value)) return null
  if (!value.includes('"')) return value.includes('\\') ? null : `"${value}"`
  return value.includes("'") ? null : `'${value}'`
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A map entry whose value is a scalar or text, or a list or map of them, as the library writes it. */
function entry(key: string, value: unknown): string | null {
  if (!plainKey(key)) return null
  if (Array.isArray(value)) {
    if (value.length === 0) return `${key}: []`
    const items = value.map((item) => (isRecord(item) ? listedMap(item) : scalar(item)))
    return items.every((item) => item !== null) ? `${key}:\n${items.map((item) => `  - ${item}`).join('\n')}` : null
  }

  if (isRecord(value)) {
    const fields = mapFields(value, NESTED_FIELD_INDENT)
    if (fields === null) return null
    return fields.length === 0 ? `${key}: {}` : `${key}:\n${fields.map((line) => `${NESTED_FIELD_INDENT}${line}`).join('\n')}`
  }

  const text = valueText(value, '')
  return text === null ? null : `${key}: ${text}`
}

/**
 * A map as an item of a list, fields under the first one's `- `: an agent's to-do list, the edits
 * of one call.
 */
function listedMap(map: Record<string, unknown>): string | null {
  const fields = mapFields(map, LISTED_FIELD_INDENT)
  if (fields === null) return null
  return fields.length === 0 ? '{}' : fields.join(`\n${LISTED_FIELD_INDENT}`)
}

/** `name: value` for each field of a map whose keys are at `indent`; null when one needs the library (anything deeper than text). */
function mapFields(map: Record<string, unknown>, indent: string): string[] | null {
  const lines: string[] = []
  for (const [name, field] of Object.entries(map)) {
    if (field === undefined) continue
    const text = plainKey(name) ? valueText(field, indent) : null
    if (text === null) return null
    lines.push(`${name}: ${text}`)
  }

  return lines
}

/** A scalar, or a text of several lines as a literal block under a key at `keyIndent`. */
function valueText(value: unknown, keyIndent: string): string | null {
  return typeof value === 'string' && value.includes('\n') ? literalBlock(value, keyIndent) : scalar(value)
}

function plainKey(name: string): boolean {
  return PLAIN_KEY.test(name) && !readsAsAnotherType(name)
}

/** Where the fields of a map under a top-level key start. */
const NESTED_FIELD_INDENT = '  '
/** Where the fields of a listed map start: under the first one, after `  - `. */
const LISTED_FIELD_INDENT = '    '
/** Characters the library writes in double quotes, or that are rare enough to leave to it. */
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/

/**
 * A string of several lines under a key (at `keyIndent`) as the library writes it: a literal
 * block, two spaces further in, empty lines left empty; `|` when it ends in one line break, `|-` when in none,
 * and `2` before that when it starts with a space (indented code), which says how far in the
 * block is. Only these common shapes (a file the agent wrote or edited, a multi-line command):
 * one that starts with a line break or ends in several is left to the library.
 */
function literalBlock(value: string, keyIndent = ''): string | null {
  if (/^ *\n/.test(value) || UNSAFE_IN_BLOCK.test(value)) return null
  const clip = value.endsWith('\n')
  const content = clip ? value.slice(0, -1) : value
  // A last line of spaces only, or more line breaks at the end: quoted, or kept with `|+`.
  if (/\n[\t ]*$/.test(content)) return null
  const indent = `${keyIndent}  `
  return `|${value[0] === ' ' ? '2' : ''}${clip ? '' : '-'}\n${indent}${content.replaceAll(/\n+/g, `$&${indent}`)}`
}

/**
 * A map as YAML, the same text the YAML library writes (`lineWidth: 0`), without it for the
 * shapes sessions are made of: scalars, texts of several lines, and one level of lists and maps
 * (maps in lists too). The library is the slowest step of a Markdown export; it still writes
 * everything else.
 */
export function yamlOf(value: unknown): string {
  return plainYamlOf(value) ?? libraryYamlOf(value)
}

/** What the YAML library writes (`lineWidth: 0`), with the strings YAML 1.1 would type in double quotes. */
export function libraryYamlOf(value: unknown): string {
  library ??= require('yaml') as typeof import('yaml')
  const document = new library.Document(value)
  library.visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML_1_1_TYPE.test(node.value)) node.type = 'QUOTE_DOUBLE'
    },
  })
  return document.toString({lineWidth: 0})
}

/** The YAML of the shapes written without the library; null for the others. */
export function plainYamlOf(value: unknown): string | null {
  if (!isRecord(value)) return null
  const lines = Object.entries(value)
    .filter(([, field]) => field !== undefined)
    .map(([key, field]) => entry(key, field))
  return lines.length > 0 && lines.every((line) => line !== null) ? `${lines.join('\n')}\n` : null
}
