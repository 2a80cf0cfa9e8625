import {countTokens} from 'gpt-tokenizer/encoding/o200k_base'
import {toExportDocument} from '../model/export-document.js'
import {type Session, SessionSchema} from '../model/session.js'
import type {Writer} from '../plugin-api.js'
import type {AgentPlan} from './plan.js'
import {type ContentOptions, shapeContent} from './transform.js'

/** The leanest readable form: what an agent needs of a past session, without tool traffic or thinking. */
export const LEAN_VARIANT = 'markdown-lean'
/**
 * Every string of the session (texts, thinking, tool inputs and outputs, ids, metadata) and
 * nothing else: about the least a format that keeps every field (JSON, TOON) can cost.
 */
export const TEXT_VARIANT = 'text'

export interface FormatCost {
  bytes: number
  /** o200k_base tokens (the tokenizer of current OpenAI models; close to what other models count). */
  tokens: number
}

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
export async function measureCosts(plans: AgentPlan[], writers: Writer[], options: ContentOptions, onError: (message: string) => void): Promise<SessionCost[]> {
  const costs: SessionCost[] = []
  const markdown = writers.find((writer) => writer.format === 'markdown')
  for (const plan of plans) {
    for (const {ref} of plan.sessions) {
      try {
        const session = SessionSchema.parse(await plan.reader.read(ref, plan.ctx))
        // Shaped once: every writer and the strings-alone count measure the same session.
        const shaped = withoutInlineData(shapeContent(session, options))
        const formats: Record<string, FormatCost> = {}
        for (const writer of writers) formats[writer.format] = cost(writer, shaped)
        if (markdown) formats[LEAN_VARIANT] = cost(markdown, withoutInlineData(shapeContent(session, {...options, thinking: false, tools: false})))
        formats[TEXT_VARIANT] = measure(stringsOf(toExportDocument(shaped)).join('\n'))
        costs.push({agent: ref.agent, formats, id: ref.id, title: session.title})
      } catch (error) {
        onError(`${ref.agent} session ${ref.id}: ${(error as Error).message}`)
      }
    }
  }

  return costs
}

function cost(writer: Writer, session: Session): FormatCost {
  return measure(writer.render(session, {exportDocument: toExportDocument, linkToSession: () => null}))
}

function measure(text: string): FormatCost {
  return {bytes: Buffer.byteLength(text), tokens: countTokens(text)}
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object') return []
  return Object.values(value).flatMap((item) => stringsOf(item))
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
