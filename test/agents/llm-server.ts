/**
 * A scripted model server on 127.0.0.1 (random port) that speaks the Anthropic Messages API and
 * the OpenAI chat-completions API, both streaming (SSE) and not. The agents are pointed at it so
 * that they write real sessions without a real model and without the network.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {type Conversation, FEW_TOKENS, nextTurn, type ToolSpec, type Turn} from './scenario.js'

export interface LoggedRequest {
  method: string
  path: string
  /** The turn played back, for chat requests. */
  turn: Turn | null
}

export interface LlmServer {
  url: string
  /** The folder the agent works in; scripted paths are absolute within it. */
  workspace: string
  requests: LoggedRequest[]
  close(): Promise<void>
}

type Json = Record<string, any>

const OUTPUT_TOKENS = 30
let counter = 0
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36).padStart(4, '0')}`

async function readBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return {}
  try {
    return JSON.parse(text) as Json
  } catch {
    return {}
  }
}

function sendJson(response: ServerResponse, body: unknown, status = 200) {
  response.writeHead(status, {'content-type': 'application/json'})
  response.end(JSON.stringify(body))
}

function startSse(response: ServerResponse) {
  response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive'})
}

// ---- Anthropic Messages ------------------------------------------------------------------------

function textOf(content: unknown): string[] {
  if (typeof content === 'string') return [content]
  if (!Array.isArray(content)) return []
  return content.filter((block: Json) => block?.type === 'text').map((block: Json) => String(block.text))
}

function anthropicConversation(body: Json): Conversation {
  const tools: ToolSpec[] = (body.tools ?? [])
    .filter((tool: Json) => tool.name)
    .map((tool: Json) => ({name: tool.name, schema: tool.input_schema ?? {}}))
  const userTexts: string[] = []
  let toolResultsSinceMarker = 0
  for (const message of body.messages ?? []) {
    if (message.role !== 'user') continue
    const results = Array.isArray(message.content)
      ? message.content.filter((block: Json) => block?.type === 'tool_result').length
      : 0
    const texts = textOf(message.content)
    if (texts.some((text) => text.includes('[[conformance:'))) toolResultsSinceMarker = 0
    toolResultsSinceMarker += results
    userTexts.push(...texts)
  }
  return {tools, userTexts, toolResultsSinceMarker}
}

function anthropicContent(turn: Turn): Json[] {
  const content: Json[] = []
  if (turn.thinking) content.push({type: 'thinking', thinking: turn.thinking, signature: 'c2lnbmF0dXJl'})
  if (turn.text) content.push({type: 'text', text: turn.text})
  if (turn.toolCall) content.push({type: 'tool_use', id: nextId('toolu_'), name: turn.toolCall.name, input: turn.toolCall.input})
  return content
}

function anthropicMessage(body: Json, turn: Turn): Json {
  return {
    id: nextId('msg_'),
    type: 'message',
    role: 'assistant',
    model: body.model ?? 'claude-sonnet-4-5',
    content: anthropicContent(turn),
    stop_reason: turn.toolCall ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {input_tokens: turn.inputTokens, output_tokens: OUTPUT_TOKENS, cache_creation_input_tokens: 0, cache_read_input_tokens: 0},
  }
}

function streamAnthropic(response: ServerResponse, message: Json) {
  startSse(response)
  const send = (event: string, data: Json) => response.write(`event: ${event}\ndata: ${JSON.stringify({type: event, ...data})}\n\n`)
  send('message_start', {message: {...message, content: [], stop_reason: null, usage: {...message.usage, output_tokens: 1}}})
  message.content.forEach((block: Json, index: number) => {
    if (block.type === 'thinking') {
      send('content_block_start', {index, content_block: {type: 'thinking', thinking: '', signature: ''}})
      send('content_block_delta', {index, delta: {type: 'thinking_delta', thinking: block.thinking}})
      send('content_block_delta', {index, delta: {type: 'signature_delta', signature: block.signature}})
    } else if (block.type === 'text') {
      send('content_block_start', {index, content_block: {type: 'text', text: ''}})
      send('content_block_delta', {index, delta: {type: 'text_delta', text: block.text}})
    } else {
      send('content_block_start', {index, content_block: {type: 'tool_use', id: block.id, name: block.name, input: {}}})
      send('content_block_delta', {index, delta: {type: 'input_json_delta', partial_json: JSON.stringify(block.input)}})
    }
    send('content_block_stop', {index})
  })
  send('message_delta', {delta: {stop_reason: message.stop_reason, stop_sequence: null}, usage: {output_tokens: OUTPUT_TOKENS}})
  send('message_stop', {})
  response.end()
}

// ---- OpenAI chat completions -------------------------------------------------------------------

function openAiConversation(body: Json): Conversation {
  const tools: ToolSpec[] = (body.tools ?? [])
    .filter((tool: Json) => tool.function?.name)
    .map((tool: Json) => ({name: tool.function.name, schema: tool.function.parameters ?? {}}))
  const userTexts: string[] = []
  let toolResultsSinceMarker = 0
  for (const message of body.messages ?? []) {
    if (message.role === 'tool') toolResultsSinceMarker++
    if (message.role !== 'user') continue
    const texts = textOf(message.content)
    if (texts.some((text) => text.includes('[[conformance:'))) toolResultsSinceMarker = 0
    userTexts.push(...texts)
  }
  return {tools, userTexts, toolResultsSinceMarker}
}

function openAiToolCall(turn: Turn) {
  return turn.toolCall
    ? [{index: 0, id: nextId('call_'), type: 'function', function: {name: turn.toolCall.name, arguments: JSON.stringify(turn.toolCall.input)}}]
    : undefined
}

const openAiUsage = (turn: Turn) => ({prompt_tokens: turn.inputTokens, completion_tokens: OUTPUT_TOKENS, total_tokens: turn.inputTokens + OUTPUT_TOKENS})

function openAiCompletion(body: Json, turn: Turn): Json {
  return {
    id: nextId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'scripted',
    choices: [
      {
        index: 0,
        message: {role: 'assistant', content: turn.text, reasoning_content: turn.thinking ?? undefined, tool_calls: openAiToolCall(turn)},
        finish_reason: turn.toolCall ? 'tool_calls' : 'stop',
      },
    ],
    usage: openAiUsage(turn),
  }
}

function streamOpenAi(response: ServerResponse, body: Json, turn: Turn) {
  startSse(response)
  const base = {id: nextId('chatcmpl-'), object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model ?? 'scripted'}
  const chunk = (delta: Json, finishReason: string | null = null) =>
    response.write(`data: ${JSON.stringify({...base, choices: [{index: 0, delta, finish_reason: finishReason}]})}\n\n`)
  chunk({role: 'assistant', content: ''})
  if (turn.thinking) chunk({reasoning_content: turn.thinking})
  if (turn.text) chunk({content: turn.text})
  const toolCalls = openAiToolCall(turn)
  if (toolCalls) chunk({tool_calls: toolCalls})
  chunk({}, turn.toolCall ? 'tool_calls' : 'stop')
  response.write(`data: ${JSON.stringify({...base, choices: [], usage: openAiUsage(turn)})}\n\n`)
  response.write('data: [DONE]\n\n')
  response.end()
}

// ---- Routing -----------------------------------------------------------------------------------

export async function startLlmServer(): Promise<LlmServer> {
  const state: Omit<LlmServer, 'url' | 'close'> = {workspace: process.cwd(), requests: []}
  const server: Server = createServer(async (request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    const body = await readBody(request)
    const log: LoggedRequest = {method: request.method ?? 'GET', path, turn: null}
    state.requests.push(log)
    if (path.endsWith('/messages/count_tokens')) return sendJson(response, {input_tokens: FEW_TOKENS})
    if (path.endsWith('/messages')) {
      log.turn = nextTurn(anthropicConversation(body), state.workspace)
      const message = anthropicMessage(body, log.turn)
      return body.stream ? streamAnthropic(response, message) : sendJson(response, message)
    }
    if (path.endsWith('/chat/completions')) {
      log.turn = nextTurn(openAiConversation(body), state.workspace)
      return body.stream ? streamOpenAi(response, body, log.turn) : sendJson(response, openAiCompletion(body, log.turn))
    }
    if (path.endsWith('/models')) return sendJson(response, {object: 'list', data: [{id: 'scripted', object: 'model'}]})
    // Anything else an agent probes (feature flags, metrics, update checks): an empty success.
    return sendJson(response, {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
