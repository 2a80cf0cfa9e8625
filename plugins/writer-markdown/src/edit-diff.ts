import {isRecord} from './plain-yaml.js'

/** The names agents give an edit's text before and after: Claude Code, OpenCode, Pi. */
const TEXT_PAIRS = [
  ['old_string', 'new_string'],
  ['oldString', 'newString'],
  ['oldText', 'newText'],
] as const

export interface EditView {
  /** The input's other fields (the file, options), shown as they are. */
  rest: Record<string, unknown>
  /** Each replacement as diff lines: what it removed, then what it put in. */
  diffs: string[]
}

/**
 * A file edit's input as a diff a reader takes in at a glance, when it is one: a replacement
 * (`old_string`/`new_string` and the like), a list of them (`edits`) and nothing else in the
 * list, or a patch written out whole (OpenCode's `apply_patch`), already a diff. Anything else
 * is left to be shown as it is (null).
 */
export function editView(input: unknown): EditView | null {
  if (!isRecord(input)) return null
  if (typeof input.patchText === 'string') {
    const {patchText, ...rest} = input
    return {diffs: [patchText.replace(/\n$/, '')], rest}
  }

  const single = replacement(input)
  if (single) {
    const [before, after] = single
    const {[before]: old, [after]: replacing, ...rest} = input
    return {diffs: [diffLines(old as string, replacing as string)], rest}
  }

  const {edits, ...rest} = input
  if (!Array.isArray(edits) || edits.length === 0) return null
  const diffs: string[] = []
  for (const edit of edits) {
    const pair = isRecord(edit) && Object.keys(edit).length === 2 ? replacement(edit) : null
    if (!pair) return null
    diffs.push(diffLines(edit[pair[0]] as string, edit[pair[1]] as string))
  }

  return {diffs, rest}
}

function replacement(input: Record<string, unknown>): (typeof TEXT_PAIRS)[number] | null {
  return TEXT_PAIRS.find(([before, after]) => typeof input[before] === 'string' && typeof input[after] === 'string') ?? null
}

function diffLines(old: string, replacing: string): string {
  return [...prefixed('-', old), ...prefixed('+', replacing)].join('\n')
}

/** Each line of a text behind a sign; a final line break ends the last line rather than adding one. */
function prefixed(sign: string, text: string): string[] {
  if (text === '') return []
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n')
  return lines.map((line) => `${sign}${line}`)
}
