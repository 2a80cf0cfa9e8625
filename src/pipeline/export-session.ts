import {countOf} from '../count.js'
import {describeIssues} from '../kit/issues.js'
import type {SessionRef} from '../model/ref.js'
import {type Session, SessionSchema} from '../model/session.js'
import type {Reader, ReaderContext, Writer} from '../plugin-api.js'
import {extractAttachments} from './attachments.js'
import {linkBetween} from './layout.js'
import {countsOf, factsOf} from './facts.js'
import type {Made, OutputFolder} from './output-folder.js'
import {renderContext, renderedPieces} from './rendering.js'
import type {SessionFacts} from './state.js'
import {attachmentsLeftOut, type ContentOptions, prepareSession, shapingOf} from './transform.js'
import {withUnfinishedCalls} from './unfinished-calls.js'

/**
 * Reads one session and checks it against the model, and that it is the session asked for; never
 * rejects, so a failure costs only that session. A call left without a result is marked unfinished.
 */
export async function readChecked(reader: Reader, ref: SessionRef, ctx: ReaderContext): Promise<{session: Session} | {error: string}> {
  try {
    const read = SessionSchema.safeParse(await reader.read(ref, ctx), {reportInput: true})
    if (!read.success) return {error: `the reader produced an invalid session: ${describeIssues(read.error.issues)}`}
    // Its export and its record are filed under the session's own agent and id: another's would be overwritten.
    const {agent, id} = read.data
    if (agent !== ref.agent || id !== ref.id) return {error: `the reader returned session ${agent}/${id}, not the session asked for (${ref.agent}/${ref.id})`}
    return {session: withUnfinishedCalls(read.data)}
  } catch (error) {
    return {error: (error as Error).message}
  }
}

export interface Exported {
  facts: SessionFacts
  /** Size of the export file. */
  bytes: number
  /** Secrets redacted (`--redact`). */
  secrets: number
}

/**
 * Shapes, redacts and writes one session that was read and checked, whatever the format.
 * `links` maps session ids to their export files, for links to subagent sessions.
 */
export async function exportSession(read: Session, file: string, links: ReadonlyMap<string, string>, options: ContentOptions & {writer: Writer}, output: OutputFolder, debug: (message: string) => void): Promise<Exported> {
  // Before attachments and writers, so no format (third-party ones included) sees a secret.
  const {counts: secretsByRule, session: redacted} = prepareSession(read, options)
  const secrets = Object.values(secretsByRule).reduce((sum, count) => sum + count, 0)
  if (secrets > 0) debug(`${file}: ${countOf(secrets, 'secret')} redacted (${Object.entries(secretsByRule).map(([rule, count]) => `${rule} ${count}`).join(', ')})`)
  const made: Made = {files: [], folders: []}
  try {
    const session = await extractAttachments(redacted, file, output, made)
    const counts = countsOf(read)
    const context = renderContext((id: string) => relativeLink(file, links.get(id)), counts, shapingOf(options), attachmentsLeftOut(read, options))
    const bytes = await output.write(file, renderedPieces(options.writer, session, context), made)
    return {bytes, facts: factsOf(session, counts), secrets}
  } catch (error) {
    // Not exported, so neither recorded: what this attempt wrote for the session (its attachments) would belong to nothing.
    await output.takeBack(made)
    throw error
  }
}

function relativeLink(from: string, to: string | undefined): string | null {
  return to ? linkBetween(from, to) : null
}
