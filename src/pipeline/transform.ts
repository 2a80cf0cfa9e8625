import type {Shaping} from '../model/export-document.js'
import type {AttachmentBlock, Block, Session} from '../model/session.js'
import {withTitle} from './facts.js'
import {redactSession} from './redact/index.js'
import {truncateMiddle} from './truncate.js'

export interface ContentOptions {
  tools: boolean
  thinking: boolean
  attachments: boolean
  /** Tool outputs longer than this are cut in the middle; null keeps them whole. */
  maxOutputChars: number | null
  /** Replace secrets with markers before any writer sees the session. */
  redact: boolean
}

/**
 * Applies the options that shape what is exported, once, before any writer runs, so every
 * format (third-party ones included) honours them. Messages left with nothing are dropped.
 */
export function shapeContent(session: Session, options: ContentOptions): Session {
  const keep = (block: Block): boolean => {
    switch (block.type) {
      // A call that started a subagent stays: it is the link to the subagent's session, whose
      // own export holds what it found.
      case 'tool_call': {
        return options.tools || block.subagentId !== null
      }

      case 'tool_result': {
        return options.tools
      }

      case 'thinking': {
        return options.thinking
      }

      case 'attachment': {
        return options.attachments
      }

      default: {
        return true
      }
    }
  }

  const shorten = (block: Block): Block =>
    block.type === 'tool_result' && options.maxOutputChars !== null ? {...block, output: truncateMiddle(block.output, options.maxOutputChars)} : block

  const shaped = session.messages.map((message) => ({...message, blocks: withoutToolAttachments(message.blocks, options).filter((block) => keep(block)).map((block) => shorten(block))}))
  const kept = (messages: typeof shaped) => messages.filter((message) => message.blocks.length > 0)
  // A fork's copied messages are counted again: some of them may be left with nothing.
  const copiedMessages = session.copiedMessages === null ? null : kept(shaped.slice(0, session.copiedMessages)).length
  return {...session, copiedMessages, messages: kept(shaped)}
}

/**
 * For each of a message's blocks, the call whose result it is an image or file of, else null:
 * readers put what a tool returned right after its result, in the same message.
 */
function returnedBy(blocks: readonly Block[]): Array<string | null> {
  let callId: string | null = null
  return blocks.map((block) => {
    if (block.type === 'tool_result') callId = block.callId
    else if (block.type !== 'attachment') callId = null
    return block.type === 'attachment' ? callId : null
  })
}

/** Without tools, the images and files a tool returned go with its result: alone they would stand under no call. */
function withoutToolAttachments(blocks: Block[], options: ContentOptions): Block[] {
  if (options.tools) return blocks
  const calls = returnedBy(blocks)
  return blocks.filter((_block, index) => calls[index] === null)
}

/**
 * The kinds of the images and files each tool call returned, by call id, when the options leave
 * attachments out: a result whose only output was a screenshot would read as empty. Taken from
 * the session as read; the export document stays as it is, its `shaping` saying what it left out.
 */
export function attachmentsLeftOut(read: Session, {attachments}: Pick<ContentOptions, 'attachments'>): Map<string, Array<AttachmentBlock['kind']>> {
  const leftOut = new Map<string, Array<AttachmentBlock['kind']>>()
  if (attachments) return leftOut
  for (const {blocks} of read.messages) {
    for (const [index, callId] of returnedBy(blocks).entries()) {
      const block = blocks[index]
      if (callId !== null && block.type === 'attachment') leftOut.set(callId, [...(leftOut.get(callId) ?? []), block.kind])
    }
  }

  return leftOut
}

/** What the options leave out of an export or change in it, as the export says. */
export function shapingOf({attachments, maxOutputChars, redact, thinking, tools}: ContentOptions): Shaping {
  return {attachments, maxOutputChars, redacted: redact, thinking, tools}
}

/**
 * What a session shaped by `earlier` (its export's) and then by `shaping` lacks: what either left
 * out, its outputs cut at the shorter length, its secrets replaced by either.
 */
export function shapedAgain(shaping: Shaping, earlier: Shaping | null): Shaping {
  if (!earlier) return shaping
  const cuts = [shaping.maxOutputChars, earlier.maxOutputChars].filter((length) => length !== null)
  return {
    attachments: shaping.attachments && earlier.attachments,
    maxOutputChars: cuts.length > 0 ? Math.min(...cuts) : null,
    redacted: shaping.redacted || earlier.redacted,
    thinking: shaping.thinking && earlier.thinking,
    tools: shaping.tools && earlier.tools,
  }
}

/**
 * A session as every format gets it, and as search and show see it: titled, shaped by the
 * content options, secrets replaced (`--redact`, with how many of each kind).
 */
export function prepareSession(read: Session, options: ContentOptions): {session: Session; counts: Record<string, number>} {
  const shaped = shapeContent(withTitle(read), options)
  return options.redact ? redactSession(shaped) : {counts: {}, session: shaped}
}
