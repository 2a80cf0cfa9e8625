import {toExportDocument} from '../model/export-document.js'
import type {Session} from '../model/session.js'
import type {Writer} from '../plugin-api.js'
import {readChecked} from './export-session.js'
import {countsOf} from './facts.js'
import type {AgentPlan, Log} from './plan.js'
import {renderContext, renderedPieces} from './rendering.js'
import {LEAN_VARIANT, TEXT_VARIANT} from './stats-variants.js'
import {CostCounter, type FormatCost} from './token-count.js'
import {TokenPool} from './token-pool.js'
import {type ContentOptions, shapeContent, shapingOf} from './transform.js'

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
  const tokens = new TokenPool()
  try {
    const measured: Measured[] = []
    for (const plan of plans) {
      for (const [index, {ref}] of plan.sessions.entries()) {
        // Tokenizing every format of a large history takes minutes: shown as it goes.
        log.progress?.(index, plan.sessions.length, plan.reader.agent)
        const read = await readChecked(plan.reader, ref, plan.ctx)
        if ('error' in read) {
          log.warn(`${ref.agent} session ${ref.id}: ${read.error}`)
          continue
        }

        try {
          // The threads count this session's text while the next one is read.
          measured.push({agent: ref.agent, counters: await countersOf(read.session, writers, options, tokens), id: ref.id, title: read.session.title})
        } catch (error) {
          log.warn(`${ref.agent} session ${ref.id}: ${(error as Error).message}`)
        }
      }

      log.progress?.(plan.sessions.length, plan.sessions.length, plan.reader.agent)
    }

    return await totals(measured, log)
  } finally {
    await tokens.close()
  }
}

interface Measured {
  agent: string
  id: string
  title: string
  /** Format (or variant) → the count of its text. */
  counters: Array<[string, CostCounter]>
}

/** Every writer's rendering of a session, the lean Markdown and the strings alone, handed over to be counted. */
async function countersOf(session: Session, writers: Writer[], options: ContentOptions, tokens: TokenPool): Promise<Measured['counters']> {
  // Shaped once: every writer and the strings-alone count measure the same session.
  const shaped = withoutInlineData(shapeContent(session, options))
  // Links lead nowhere: nothing is written.
  const counts = countsOf(session)
  const context = renderContext(() => null, counts, shapingOf(options))
  const counters: Measured['counters'] = []
  for (const writer of writers) counters.push([writer.format, await feed(renderedPieces(writer, shaped, context), tokens)])
  const markdown = writers.find((writer) => writer.format === 'markdown')
  const lean = {...options, thinking: false, tools: false}
  if (markdown) counters.push([LEAN_VARIANT, await feed(renderedPieces(markdown, withoutInlineData(shapeContent(session, lean)), renderContext(() => null, counts, shapingOf(lean))), tokens)])
  counters.push([TEXT_VARIANT, await feed(joined(stringsOf(toExportDocument(shaped)), '\n'), tokens)])
  return counters
}

async function totals(measured: Measured[], log: Pick<Log, 'warn'>): Promise<SessionCost[]> {
  const costs: SessionCost[] = []
  for (const {agent, counters, id, title} of measured) {
    try {
      const formats = Object.fromEntries(await Promise.all(counters.map(async ([format, counter]) => [format, await counter.total()] as const)))
      costs.push({agent, formats, id, title})
    } catch (error) {
      log.warn(`${agent} session ${id}: ${(error as Error).message}`)
    }
  }

  return costs
}

async function feed(pieces: Iterable<string>, tokens: TokenPool): Promise<CostCounter> {
  const counter = new CostCounter(tokens)
  for (const piece of pieces) await counter.add(piece)
  await counter.finish()
  return counter
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
