import {readFile} from 'node:fs/promises'
import path from 'node:path'
import type {Block, ReaderContext} from 'sessionsync'
import {type ContentBlock, type ConversationRecord, stringField} from './records.js'
import {toolOutcome} from './tool-outcome.js'
import {withoutReminders} from './user-text.js'

/** An image or document block of the Anthropic API as an attachment. */
export function mediaAttachment(block: ContentBlock): Extract<Block, {type: 'attachment'}> | null {
  if (block.type !== 'image' && block.type !== 'document') return null
  const source = (block.source ?? {}) as Record<string, unknown>
  const inline = source.type === 'base64' && typeof source.data === 'string'
  const reference = stringField(source, 'url') ?? stringField(source, 'path')
  if (!inline && !reference) return null
  return {
    data: inline ? (source.data as string) : null,
    kind: block.type === 'image' ? 'image' : 'file',
    mimeType: stringField(source, 'media_type'),
    name: stringField(block, 'title'),
    path: inline ? null : reference,
    type: 'attachment',
  }
}

export interface ToolResult {
  blocks: Block[]
  /** The subagent this result hands back, when it names one. */
  agentId: string | null
}

/** A large output Claude Code moved into `<session>/tool-results/`, replaced by this stub. */
const PERSISTED = /<persisted-output>[\s\S]*?saved to:\s*([^\n]+)[\s\S]*?<\/persisted-output>/y
const AGENT_TAIL = /(?:^|\n)agentId: ([\w-]+)/g
/** The metadata a subagent's report ends with (its id, then a short `<usage>` block) fits in this. */
const AGENT_TAIL_CHARS = 4096

/**
 * One `tool_result` block: its output as text (read back from `tool-results/` when it was
 * moved there) and how the call ended, its images as attachments, and the subagent it reports on.
 */
export async function readToolResult(block: ContentBlock, toolUseResult: ConversationRecord['toolUseResult'], sessionFolder: string, ctx: ReaderContext): Promise<ToolResult> {
  const attachments: Block[] = []
  const texts: string[] = []
  const content = block.content
  for (const part of typeof content === 'string' ? [{text: content, type: 'text'}] : Array.isArray(content) ? (content as ContentBlock[]) : []) {
    const attachment = mediaAttachment(part)
    if (attachment) attachments.push(attachment)
    else if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text)
    else if (part.type === 'tool_reference' && typeof part.tool_name === 'string') texts.push(`tool: ${part.tool_name}`)
    else ctx.debug(`tool result part of type "${part.type}" left out`)
  }

  let output = withoutHandBackFrame(withoutReminders(texts.join('\n')))
  // Tried at the first opening tag only: where it fails, a later one fails too, and trying each
  // would scan the rest of the output again (an output listing thousands of such tags).
  const stub = output.indexOf('<persisted-output>')
  PERSISTED.lastIndex = stub
  const persisted = stub === -1 ? null : PERSISTED.exec(output)
  // The structured result names the file too (a shell command's output): found even where the text has no stub.
  const recordedPath = persisted?.[1].trim() ?? toolUseResult?.persistedOutputPath ?? null
  if (recordedPath) {
    const whole = await persistedOutput(recordedPath, sessionFolder, ctx)
    if (whole !== null) output = `${previewNote(persisted?.[0] ?? '', recordedPath)}\n${whole}`
  }

  const agentId = toolUseResult?.agentId ?? reportedAgentId(output)
  const result: Block = {callId: String(block.tool_use_id ?? ''), output, type: 'tool_result', ...toolOutcome(block.is_error === true, output, toolUseResult)}
  return {agentId, blocks: [result, ...attachments]}
}

/**
 * The subagent a Task result's text names in its closing metadata. Only the end is searched:
 * any output may mention `agentId:` (a grep through transcripts), and reading every output
 * whole for it cost more than the rest of this function.
 */
function reportedAgentId(output: string): string | null {
  const tail = output.slice(-AGENT_TAIL_CHARS)
  return tail.includes('agentId: ') ? ([...tail.matchAll(AGENT_TAIL)].at(-1)?.[1] ?? null) : null
}

/**
 * Recent versions wrap a subagent's report in a warning to the model that the report is not
 * the user speaking, and indent it; the export shows the report itself.
 */
function withoutHandBackFrame(output: string): string {
  const frame = /^\[Subagent hand-back\][^\n]*?The report follows:\n/.exec(output)
  return frame ? output.slice(frame[0].length).replace(/^ {2}/gm, '') : output
}

/**
 * The export shows the whole output, where the model got a preview: said, so that a reader of it
 * does not take the rest for something the model saw.
 */
function previewNote(stub: string, recordedPath: string): string {
  const preview = /Preview \(([^)\n]+)\)/.exec(stub)?.[1]
  return `[The model was shown a preview of this output${preview ? ` (${preview})` : ''}; Claude Code kept the whole of it in tool-results/${toolResultName(recordedPath)}, shown here.]`
}

function toolResultName(recordedPath: string): string {
  return path.basename(recordedPath.replaceAll('\\', '/'))
}

/**
 * The recorded path is absolute on the machine that wrote it; the file is looked up by name
 * in this session's own `tool-results/` folder, so moved or copied histories still resolve.
 */
async function persistedOutput(recordedPath: string, sessionFolder: string, ctx: ReaderContext): Promise<string | null> {
  const file = path.join(sessionFolder, 'tool-results', toolResultName(recordedPath))
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    ctx.debug(`full tool output ${file} is gone; the preview is kept`)
    return null
  }

  if (!file.endsWith('.json')) return text
  try {
    const blocks = JSON.parse(text) as unknown
    if (Array.isArray(blocks)) return blocks.map((part) => stringField(part, 'text') ?? '').join('\n')
  } catch {
    ctx.debug(`full tool output ${file} is not the JSON expected; kept as text`)
  }

  return text
}
