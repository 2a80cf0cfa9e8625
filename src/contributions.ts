import type {Reader, Writer} from './plugin-api.js'
import {STATS_VARIANTS} from './pipeline/stats-variants.js'
import {shownValue} from './shown-value.js'

/** Agent and format names: values of --agent and --format, and folder names in the output. */
const NAME = /^[a-z][a-z0-9-]*$/
const NAME_RULE = 'lowercase letters, digits and dashes, starting with a letter'
/** A file extension, without the dot. */
const EXTENSION = /^[a-z0-9]+$/i

/**
 * The readers and writers a register hook returned, not yet checked one by one; or why the result
 * as a whole is unusable. Nothing (undefined) contributes nothing.
 */
export function contributedLists(result: unknown): {readers: unknown[]; writers: unknown[]} | {problem: string} {
  if (result === undefined || result === null) return {readers: [], writers: []}
  if (typeof result !== 'object') return {problem: `its register hook returned ${shownValue(result)}, not {readers, writers}`}
  const {readers = [], writers = []} = result as Record<string, unknown>
  for (const [field, list] of Object.entries({readers, writers})) if (!Array.isArray(list)) return {problem: `its register hook returned ${field}: ${shownValue(list)}, not a list`}
  return {readers: readers as unknown[], writers: writers as unknown[]}
}

/** A contributed reader or writer that can be used, under its name (agent or format); or why it cannot. */
export type Checked<T> = {item: T; name: string} | {problem: string}

export function checkedReader(value: unknown): Checked<Reader> {
  const problem = readerProblem(value)
  return problem === null ? {item: value as Reader, name: (value as Reader).agent} : {problem}
}

export function checkedWriter(value: unknown): Checked<Writer> {
  const problem = writerProblem(value)
  return problem === null ? {item: value as Writer, name: (value as Writer).format} : {problem}
}

function readerProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `it is ${shownValue(value)}, not an object`
  const reader = value as Record<string, unknown>
  return nameProblem(reader, 'agent') ?? textProblem(reader, 'displayName') ?? functionsProblem(reader, ['locate', 'discover', 'read'], ['discoverFiles', 'watchPaths', 'inputs'])
}

function writerProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `it is ${shownValue(value)}, not an object`
  const writer = value as Record<string, unknown>
  const {extension} = writer
  const extensionProblem = typeof extension === 'string' && EXTENSION.test(extension) ? null : `its extension ${shownValue(extension)} is not letters and digits (no dot)`
  const reservedProblem = STATS_VARIANTS.has(writer.format as string) ? `its format "${String(writer.format)}" is the name of a column stats shows of its own` : null
  return nameProblem(writer, 'format') ?? reservedProblem ?? extensionProblem ?? textProblem(writer, 'displayName') ?? functionsProblem(writer, ['render'], ['renderPieces'])
}

function nameProblem(item: Record<string, unknown>, field: string): string | null {
  const name = item[field]
  return typeof name === 'string' && NAME.test(name) ? null : `its ${field} ${shownValue(name)} is not ${NAME_RULE}`
}

function textProblem(item: Record<string, unknown>, field: string): string | null {
  return typeof item[field] === 'string' ? null : `its ${field} ${shownValue(item[field])} is not text`
}

function functionsProblem(item: Record<string, unknown>, required: string[], optional: string[]): string | null {
  const wrong = [...required, ...optional.filter((name) => item[name] !== undefined)].find((name) => typeof item[name] !== 'function')
  return wrong === undefined ? null : `its ${wrong} is ${shownValue(item[wrong])}, not a function`
}
