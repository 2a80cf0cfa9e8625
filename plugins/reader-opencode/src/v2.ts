import type {Json} from './json.js'
import {isRecord, text} from './json.js'
import type {StoredMessage} from './stored.js'
import {modelOf} from './stored.js'

/*
 * OpenCode 2 (2.0.x, released in September 2026) keeps a conversation as typed rows of the
 * `session_message` table, in the order of their `seq`: one row per prompt, per model step (its
 * reasoning, text and tool calls, each with its result), per shell command the person ran, per
 * compaction, and markers (agent, model or folder switched; the session gone idle). `data` is
 * the row's message without its id and type. Each row becomes the message info and parts of
 * OpenCode 1.x, which the rest of the reader shows.
 */

export interface V2Row {
  id: string
  type: string
  data: Json
}

/** A part made here for what 1.x had no part for; shown as an event of its `kind`. */
export const V2_EVENT = 'sessionsync-v2-event'

const event = (kind: string, eventText: string): Json => ({kind, text: eventText, type: V2_EVENT})

const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : [])

/** A model as 1.x's info names it: V2 keeps `{id, providerID}`. */
const modelName = (model: unknown): string | null => (isRecord(model) ? modelOf({modelID: model.id, providerID: model.providerID}) : null)

/** V2's `{type, message}` in 1.x's `{name, data: {message}}`. */
function v1Error(error: unknown): Json | undefined {
  return isRecord(error) ? {data: {message: text(error.message)}, name: text(error.type) ?? 'Error'} : undefined
}

/**
 * A file the person attached: `data` (base64) inline, else a reference (`source.uri`); builds
 * before 2.0.25 had `uri` on the file itself.
 */
function filePart(file: Json): Json {
  const source = isRecord(file.source) ? file.source : {}
  const mime = text(file.mime) ?? 'application/octet-stream'
  const data = text(file.data)
  return {filename: text(file.name), mime, type: 'file', url: data ? `data:${mime};base64,${data}` : (text(source.uri) ?? text(file.uri) ?? '')}
}

/**
 * A tool call's state in 1.x's words: its output is V2's text content (`result` in early builds),
 * its time from when it was called (`ran`, after its arguments streamed) to its end.
 */
function toolState(state: Json, time: unknown): Json {
  const content = records(state.content)
  const output = content.filter((item) => item.type === 'text').map((item) => text(item.text) ?? '')
  const finished = state.status === 'completed' || state.status === 'error'
  return {
    attachments: content.filter((item) => item.type === 'file').map(filePart),
    error: isRecord(state.error) ? (text(state.error.message) ?? text(state.error.type)) : text(state.error),
    // Arguments still streaming are the raw text received so far.
    input: isRecord(state.input) ? state.input : {},
    metadata: isRecord(state.metadata) ? state.metadata : {},
    output: output.length > 0 ? output.join('\n') : (text(state.result) ?? ''),
    raw: text(state.input),
    status: finished ? state.status : 'running',
    time: isRecord(time) ? {end: time.completed, start: time.ran} : undefined,
  }
}

function contentPart(part: Json, id: string): Json {
  switch (part.type) {
    case 'text':
    case 'reasoning': {
      return {id, text: text(part.text) ?? '', type: part.type}
    }

    case 'tool': {
      return {callID: text(part.id), id, state: toolState(isRecord(part.state) ? part.state : {}, part.time), tool: text(part.name), type: 'tool'}
    }

    default: {
      return {...part, id}
    }
  }
}

/** What a model call cost and how it ended: of a step, or of a compaction's summary. */
function callInfo(data: Json): Json {
  const model = isRecord(data.model) ? data.model : {}
  return {agent: text(data.agent), cost: data.cost, error: v1Error(data.error), finish: data.finish, modelID: text(model.id), providerID: text(model.providerID), role: 'assistant', time: data.time, tokens: data.tokens}
}

/**
 * One model step: its reasoning, text and tool calls, with the tokens and cost of that step,
 * and the files it changed in the work tree (its snapshot's, 1.x's `patch` part).
 */
function assistant(id: string, data: Json): StoredMessage {
  const parts = records(data.content).map((part, index) => contentPart(part, `${id}#${index}`))
  if (isRecord(data.retry)) parts.push({attempt: data.retry.attempt, error: v1Error(data.retry.error), id: `${id}#retry`, type: 'retry'})
  const changed = isRecord(data.snapshot) && Array.isArray(data.snapshot.files) ? data.snapshot.files : []
  if (changed.length > 0) parts.push({files: changed, id: `${id}#snapshot`, type: 'patch'})
  return {id, info: callInfo(data), parts}
}

/** A switch of agent, model or folder, shown where it changed something: the first prompt's marks only set them. */
function switched(kind: string, current: string | null, previous: string | null): Json | null {
  return current !== null && previous !== null && current !== previous ? event(kind, `${previous} → ${current}`) : null
}

/** Shell statuses other than `exited`: such a command was stopped and has no exit code. */
const SHELL_STOPPED = new Map([
  ['killed', 'Killed'],
  ['timeout', 'Timed out'],
])

/** How a `!` command ended, when not well: its exit code not 0, or how it was stopped. */
function shellEnding(data: Json): string | null {
  if (typeof data.exit === 'number' && data.exit !== 0) return `Exit code ${data.exit}`
  return typeof data.status === 'string' ? (SHELL_STOPPED.get(data.status) ?? null) : null
}

const directoryOf = (value: unknown): string | null => (isRecord(value) && isRecord(value.location) ? text(value.location.directory) : null)

/** The messages of one row, in 1.x's form; null for a row type this reader does not know. */
export function fromV2Row({data, id, type}: V2Row): StoredMessage[] | null {
  const time = isRecord(data.time) ? data.time : {}
  const said = (parts: Json[]): StoredMessage => ({id, info: {role: 'user', time}, parts})
  const happened = (part: Json | null): StoredMessage[] => (part ? [{id, info: {role: 'system', time}, parts: [{...part, id}]}] : [])
  switch (type) {
    case 'user': {
      // A prompt of files alone has no text.
      const words = text(data.text) ? [{text: data.text, type: 'text'}] : []
      return [said([...words, ...records(data.files).map(filePart), ...records(data.agents).map((agent) => ({name: text(agent.name), type: 'agent'}))]), ...records(data.skills).flatMap((skill) => happened(event('skill', text(skill.name) ?? '')))]
    }

    // Text OpenCode put before the model itself: reminders, a subagent's report.
    case 'synthetic': {
      return [said([{synthetic: true, text: text(data.text) ?? '', type: 'text'}])]
    }

    // A notice of OpenCode's own (the tools changed), after the short `description` it shows for
    // it: as words, as the model holds them, each writer giving them its own form.
    case 'system': {
      const notice = text(data.text) ?? ''
      const description = text(data.description)
      return happened(event('notice', description ? `${description}\n\n${notice}`.trim() : notice))
    }

    case 'skill': {
      return happened(event('skill', text(data.name) ?? text(data.skill) ?? ''))
    }

    // A command the person ran with `!`: how it ended follows what it printed.
    case 'shell': {
      const output = isRecord(data.output) ? (text(data.output.output) ?? '') : ''
      const ending = shellEnding(data)
      return [said([{text: `! ${text(data.command) ?? ''}`, type: 'text'}]), ...happened(output || ending ? event('shell_output', `${output}${ending ? `\n\n${ending}` : ''}`.trim()) : null)]
    }

    case 'assistant': {
      return [assistant(id, data)]
    }

    // What was said before stays; the summary stands in for it from here on. Newer rows say how
    // the compaction went (`status`): one that failed has its `error` and no summary.
    case 'compaction': {
      const request = said([{auto: data.reason === 'auto', type: 'compaction'}])
      const summary = text(data.summary)
      if (summary || data.status === 'failed') return [request, {id: `${id}#summary`, info: {...callInfo(data), summary: true}, parts: summary ? [{text: summary, type: 'text'}] : []}]
      return [request, ...happened(data.status === 'running' ? event('compaction', 'Not finished: no summary yet') : null)]
    }

    case 'agent-switched': {
      return happened(switched('agent_switched', text(data.agent), text(data.previous)))
    }

    case 'model-switched': {
      return happened(switched('model_switched', modelName(data.model), modelName(data.previous)))
    }

    case 'location-switched': {
      return happened(switched('folder_switched', directoryOf(data), directoryOf(data.previous)))
    }

    // A turn that failed says why in its last step; one stopped by the person says nothing else.
    case 'idle': {
      return happened(data.outcome === 'interrupted' ? event('interrupted', 'The turn was interrupted') : null)
    }

    default: {
      return null
    }
  }
}
