import {leftOutOfFacts} from './facts-texts.js'
import {readJsonDocument} from './json-document.js'

/** The export document of a JSON export, for its facts: each block's row without the texts no fact is read from. */
export function jsonDocumentForFacts(file: string): unknown {
  /** Each message's role, in order: a block's row names its message by index. */
  const roles: unknown[] = []
  return readJsonDocument(file, (table, row) => {
    if (typeof row !== 'object' || row === null) return row
    const cells = row as Record<string, unknown>
    if (table === 'messages') roles.push(cells.role)
    if (table !== 'blocks') return row
    const role = typeof cells.message === 'number' ? roles[cells.message] : undefined
    for (const field of ['text', 'input']) if (typeof cells[field] === 'string') cells[field] = leftOutOfFacts(field, role) ?? cells[field]
    return row
  })
}
