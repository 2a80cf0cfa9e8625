import type {AttachmentBlock, Block, EventBlock, Message, RenderContext, Session, ToolCallBlock, ToolResultBlock} from 'sessionsync'
import {containedMarkdown} from './contain.js'
import {editView} from './edit-diff.js'
import {escapeHtml, fenced, foldable} from './fence.js'
import {frontMatter} from './front-matter.js'
import {yamlOf} from './plain-yaml.js'
import {resultLabel} from './result-label.js'

/** Outputs longer than this are folded in <details>. */
const FOLD_LINES = 30
const FOLD_CHARS = 3000

/** The ending of the kinds of events that hold what a program printed (see EventBlockSchema). */
const PROGRAM_OUTPUT = '_output'

const ROLE_NAMES: Record<Message['role'], string> = {assistant: 'Assistant', system: 'System', tool: 'Tool', user: 'User'}

/**
 * A session as Markdown a person reads on GitHub: front matter, then one heading per turn.
 * A tool result is shown under the call it answers, so a call and its outcome read together.
 */
export function renderMarkdown(session: Session, ctx: RenderContext): string {
  return [...markdownPieces(session, ctx)].join('')
}

/**
 * The same Markdown in pieces, so a long session is never one string in memory; the texts of
 * the session are pieces of their own, written as they are rather than copied into larger strings.
 */
export function* markdownPieces(session: Session, ctx: RenderContext): Generator<string> {
  const outcomes = outcomesOfCalls(session.messages)
  const shownWithCall = new Set<Block>([...outcomes.values()].flatMap((outcome) => [outcome.result, ...outcome.attachments, ...outcome.events]))

  // A heading ends at its line: a title with line breaks (a name the user typed) is one line here.
  yield `${frontMatter(session, ctx)}\n# ${session.title.replaceAll(/\s+/g, ' ').trim() || 'Untitled session'}\n\n${origin(session, ctx)}`
  let turns = 0
  let ownPartMarked = false
  for (const [index, message] of session.messages.entries()) {
    const blocks = message.blocks.filter((block) => !shownWithCall.has(block))
    if (blocks.length === 0) continue
    if (!ownPartMarked && session.forkedFrom && session.copiedMessages && index >= session.copiedMessages) {
      ownPartMarked = true
      yield `\n\n---\n\n_End of the messages copied from ${sessionLink(session.forkedFrom, ctx)}: this fork's own start here._`
    }

    yield `${turns++ > 0 ? '\n\n' : ''}## ${heading(message)}\n\n`
    yield* paragraphs(blocks.map((block) => renderBlock(block, outcomes, ctx)))
  }

  yield turns > 0 ? '\n' : '_No messages._\n'
}

/** What a tool call gave back: its result, the images or files it returned with it, and what its reader noted of it. */
interface Outcome {
  result: ToolResultBlock
  attachments: AttachmentBlock[]
  /** Events about the result (the calls the tool made itself, Pi 1.x). */
  events: EventBlock[]
}

/**
 * The outcome of each call in the session, by call id. Readers put the images a tool returned,
 * and events about its result, right after the result, in the same message: they are shown with
 * the call, not as a turn of their own.
 */
function outcomesOfCalls(messages: readonly Message[]): Map<string, Outcome> {
  const calls = new Set(messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'tool_call' ? [block.id] : []))))
  const outcomes = new Map<string, Outcome>()
  for (const message of messages) {
    let current: Outcome | null = null
    for (const block of message.blocks) {
      if (block.type === 'tool_result' && calls.has(block.callId)) {
        current = {attachments: [], events: [], result: block}
        outcomes.set(block.callId, current)
      } else if (block.type === 'attachment' && current) {
        current.attachments.push(block)
      } else if (block.type === 'event' && current) {
        current.events.push(block)
      } else {
        current = null
      }
    }
  }

  return outcomes
}

/** Where a subagent or a fork came from: a reader of this file can go there, as from a parent to its subagents. */
function origin(session: Session, ctx: RenderContext): string {
  const lines: string[] = []
  if (session.parentId) lines.push(`Subagent of ${sessionLink(session.parentId, ctx)}.`)
  if (session.forkedFrom) lines.push(`Forked from ${sessionLink(session.forkedFrom, ctx)}${copiedPart(session)}.`)
  return lines.length > 0 ? `${lines.join('\n')}\n\n` : ''
}

/** How much of a fork is copied, when its reader knows: the rest is its own, after a marked line. */
function copiedPart({copiedMessages, messages}: Session): string {
  if (copiedMessages === null) return ": it starts with that session's messages"
  if (copiedMessages === 0) return ''
  if (copiedMessages >= messages.length) return ": all its messages are copies of that session's"
  return ": it starts with copies of that session's messages, up to a line that marks where its own begin"
}

function heading(message: Message): string {
  const role = ROLE_NAMES[message.role]
  const model = message.role === 'assistant' && message.model ? ` (${message.model})` : ''
  const time = message.timestamp ? ` · ${message.timestamp.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC')}` : ''
  return `${role}${model}${time}`
}

/** Pieces of several blocks, with a blank line between blocks. */
function paragraphs(blocks: readonly string[][]): string[] {
  return blocks.flatMap((pieces, index) => (index > 0 ? ['\n\n', ...pieces] : pieces))
}

function renderBlock(block: Block, outcomes: Map<string, Outcome>, ctx: RenderContext): string[] {
  switch (block.type) {
    case 'text': {
      return containedMarkdown(block.text)
    }

    case 'thinking': {
      const text = block.redacted ? '_(redacted by the provider)_' : containedMarkdown(block.text).join('')
      return [
        `> **Thinking**\n>\n${text
          .split('\n')
          .map((line) => (line ? `> ${line}` : '>'))
          .join('\n')}`,
      ]
    }

    case 'tool_call': {
      return renderToolCall(block, outcomes.get(block.id), ctx)
    }

    case 'tool_result': {
      return renderResult(block)
    }

    case 'attachment': {
      return renderAttachment(block)
    }

    case 'event': {
      return renderEvent(block)
    }
  }
}

function renderEvent(block: EventBlock): string[] {
  // What a program printed keeps its lines and characters; an event in words is Markdown.
  const body = block.kind.endsWith(PROGRAM_OUTPUT) ? fenced(block.text) : containedMarkdown(block.text)
  return foldable(`**${eventTitle(block.kind)}**`, body, isLong(block.text))
}

/**
 * A tool call's input as YAML. One nested deeper than the YAML library can follow (thousands of
 * levels) is only named: one odd call must not cost the session its export.
 */
function inputFence(input: unknown): string[] {
  try {
    return fenced(yamlOf(input).trimEnd(), 'yaml')
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    return ['_(the input of this call is nested too deeply to show here)_']
  }
}

function renderToolCall(call: ToolCallBlock, outcome: Outcome | undefined, ctx: RenderContext): string[] {
  const parts = [[`**Tool: ${call.name}**`]]
  // An edit reads best as a diff: the file and options above it, as they are.
  const edit = editView(call.input)
  const input = edit ? edit.rest : call.input
  if (input !== undefined && input !== null && !(typeof input === 'object' && Object.keys(input).length === 0)) {
    parts.push(typeof input === 'string' ? fenced(input, 'yaml') : inputFence(input))
  }

  for (const diff of edit?.diffs ?? []) parts.push(fenced(diff, 'diff'))

  if (call.subagentId) parts.push([`Subagent session: ${sessionLink(call.subagentId, ctx)}`])

  if (outcome) {
    // An empty output that came with an image says nothing the image does not.
    if (outcome.result.output !== '' || outcome.attachments.length === 0) parts.push(renderResult(outcome.result, ctx.attachmentsLeftOut.get(call.id)))
    parts.push(...outcome.attachments.map((attachment) => renderAttachment(attachment)), ...outcome.events.map((event) => renderEvent(event)))
  }

  return paragraphs(parts)
}

/** `leftOut`: what the call returned besides text that this export leaves out, which an empty output then stands for. */
function renderResult(result: ToolResultBlock, leftOut: ReadonlyArray<AttachmentBlock['kind']> = []): string[] {
  const {name, notes} = resultLabel(result)
  if (result.output === '') return [`_${name}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}: ${leftOut.length > 0 ? `${returned(leftOut)}, left out of this export` : '(empty)'}_`]
  const lines = countLines(result.output)
  return foldable(`${name} (${[...notes, `${lines} ${lines === 1 ? 'line' : 'lines'}`].join(', ')})`, fenced(result.output), isLong(result.output, lines))
}

/** `an image`, `2 images and a file`. */
function returned(kinds: ReadonlyArray<AttachmentBlock['kind']>): string {
  const images = kinds.filter((kind) => kind === 'image').length
  const files = kinds.length - images
  const phrase = (count: number, one: string, many: string) => (count === 1 ? one : `${count} ${many}`)
  return [images > 0 ? phrase(images, 'an image', 'images') : null, files > 0 ? phrase(files, 'a file', 'files') : null].filter(Boolean).join(' and ')
}

function renderAttachment(block: AttachmentBlock): string[] {
  const name = block.name ?? (block.kind === 'image' ? 'image' : 'file')
  if (!block.path) return [`_Attachment: ${escapeHtml(name)}${block.mimeType ? ` (${block.mimeType})` : ''}, not stored_`]
  const target = linkTarget(block.path)
  return [block.kind === 'image' ? `![${linkText(name)}](${target})` : `Attachment: [${linkText(name)}](${target})`]
}

function sessionLink(id: string, ctx: RenderContext): string {
  const link = ctx.linkToSession(id)
  return link ? `[${linkText(id)}](${linkTarget(link)})` : `${linkText(id)} (not exported)`
}

function linkTarget(relativePath: string): string {
  return encodeURI(relativePath).replaceAll('(', '%28').replaceAll(')', '%29')
}

/** Text inside a link's brackets: a bracket or a last backslash would end it early or keep it open. */
function linkText(text: string): string {
  return escapeHtml(text).replaceAll(/[\\[\]]/g, (character) => `\\${character}`)
}

/** Readers name events in snake case (`api_error`): shown as words, the usual acronyms in capitals. */
function eventTitle(kind: string): string {
  const words = kind.replaceAll(/[_-]+/g, ' ').trim().replaceAll(/\b(?:api|mcp|url|pr|id)\b/gi, (acronym) => acronym.toUpperCase())
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** `lines`, when the caller counted them already: each count is a pass over the whole text. */
function isLong(text: string, lines?: number): boolean {
  return text.length > FOLD_CHARS || (lines ?? countLines(text)) > FOLD_LINES
}

/** The lines a reader sees: a final line break ends the last line rather than starting one. */
function countLines(text: string): number {
  let lines = text.endsWith('\n') ? 0 : 1
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++
  return lines
}
