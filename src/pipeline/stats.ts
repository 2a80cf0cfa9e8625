import {toExportDocument} from '../model/export-document.js'
import {type Session, SessionSchema} from '../model/session.js'
import type {RenderContext, Writer} from '../plugin-api.js'
import type {AgentPlan, Log} from './plan.js'
import {CostCounter, type FormatCost} from './token-count.js'
import {type ContentOptions, shapeContent} from './transform.js'

/** The leanest readable form: what an agent needs of a past session, without tool traffic or thinking. */
export const LEAN_VARIANT = 'markdown-lean'
/**
 * Every string of the session (texts, thinking, tool inputs and outputs, ids, metadata) and
 * nothing else: about the least a format that keeps every field (JSON, TOON) can cost.
 */
export const TEXT_VARIANT = 'text'

export interface SessionCost {
  agent: string
  id: string
  title: string
  formats: Record<string, FormatCost>
}

/**
 * What each format costs an agent that reads it: every session rendered by every writer
 * (with the content options given), measured in bytes and tokens. Attachments are not
 * counted: they are separate files an agent opens only if it wants to.
 */
export async function measureCosts(plans: AgentPlan[], writers: Writer[], options: ContentOptions, log: Pick<Log, 'progress' | 'warn'>): Promise<SessionCost[]> {
  const costs: SessionCost[] = []
  const markdown = writers.find((writer) => writer.format === 'markdown')
  for (const plan of plans) {
    for (const [index, {ref}] of plan.sessions.entries()) {
      // Tokenizing every format of a large history takes minutes: shown as it goes.
      log.progress?.(index, plan.sessions.length, plan.reader.agent)
      try {
        const session = SessionSchema.parse(await plan.reader.read(ref, plan.ctx))
        // Shaped once: every writer and the strings-alone count measure the same session.
        const shaped = withoutInlineData(shapeContent(session, options))
        const formats: Record<string, FormatCost> = {}
        for (const writer of writers) formats[writer.format] = cost(writer, shaped)
        if (markdown) formats[LEAN_VARIANT] = cost(markdown, withoutInlineData(shapeContent(session, {...options, thinking: false, tools: false})))
        formats[TEXT_VARIANT] = measure(joined(stringsOf(toExportDocument(shaped)), '\n'))
        costs.push({agent: ref.agent, formats, id: ref.id, title: session.title})
      } catch (error) {
        log.warn(`${ref.agent} session ${ref.id}: ${(error as Error).message}`)
      }
    }

    log.progress?.(plan.sessions.length, plan.sessions.length, plan.reader.agent)
  }

  return costs
}

const RENDER_CONTEXT: RenderContext = {exportDocument: toExportDocument, linkToSession: () => null}

/** Rendered in pieces where the writer can: a large session is measured without being one string. */
function cost(writer: Writer, session: Session): FormatCost {
  return measure(writer.renderPieces?.(session, RENDER_CONTEXT) ?? [writer.render(session, RENDER_CONTEXT)])
}

function measure(pieces: Iterable<string>): FormatCost {
  const counter = new CostCounter()
  for (const piece of pieces) counter.add(piece)
  return counter.total()
}

function* stringsOf(value: unknown): Iterable<string> {
  if (typeof value === 'string') yield value
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) yield* stringsOf(item)
}

function* joined(pieces: Iterable<string>, separator: string): Iterable<string> {
  let first = true
  for (const piece of pieces) {
    if (!first) yield separator
    first = false
    yield piece
  }
}

/** Inline attachments become files in an export; counting their base64 would mislead. */
function withoutInlineData(session: Session): Session {
  return {
    ...session,
    messages: session.messages.map((message) => ({
      ...message,
      blocks: message.blocks.map((block) => (block.type === 'attachment' && block.data ? {...block, data: null, path: 'attachments/file'} : block)),
    })),
  }
}
