import type {Session} from '../../src/model/session.js'
import {exportSession} from '../../src/pipeline/export-session.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import type {Writer} from '../../src/plugin-api.js'
import {tempDir} from './cli.js'

export type Row = Record<string, unknown>
/** An export document, as far as these tests look into it. */
export type Document = {messages: Row[]; blocks: Row[]} & Row

/** The file of the session's export by `writer`, written as sync writes it. */
export async function exportFile(session: Session, writer: Writer): Promise<string> {
  const output = new OutputFolder(tempDir())
  const file = `example/session.${writer.extension}`
  const options = {attachments: false, maxOutputChars: null, redact: false, thinking: true, tools: true, writer}
  await exportSession(session, file, new Map(), options, output, () => {})
  return output.resolve(file)
}

/** The whole document, but the texts of blocks no fact is read from, which the person did not write. */
export function forFacts(whole: Document): Document {
  const byUser = (row: Row) => whole.messages[row.message as number].role === 'user'
  const blocks = whole.blocks.map((row) => (byUser(row) ? row : {...row, input: typeof row.input === 'string' ? '{}' : row.input, text: typeof row.text === 'string' ? '' : row.text}))
  return {...whole, blocks}
}
