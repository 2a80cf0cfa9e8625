import {mkdirSync, utimesSync} from 'node:fs'
import path from 'node:path'
import {Clock, toolAction} from './actions.js'
import {LineWriter} from './line-writer.js'

/**
 * Pi sessions (format v3): a `session` header, then entries with 8-hex `id`/`parentId`
 * forming a tree (an occasional abandoned branch), messages with epoch-ms timestamps.
 */
const MODELS = [
  {provider: 'anthropic', api: 'anthropic-messages', model: 'claude-sonnet-4-5'},
  {provider: 'openai', api: 'openai-responses', model: 'gpt-5.1-codex'},
  {provider: 'google', api: 'google-generative-ai', model: 'gemini-2.5-pro'},
]
const TOOL_NAMES = {bash: 'bash', read: 'read', image: 'read', edit: 'edit', write: 'write', grep: 'grep'}

/** Pi's folder rule: drop one leading slash, then '/', '\' and ':' become '-', wrapped in '--'. */
export function piSessionDir(home, cwd) {
  return path.join(home, '.pi', 'agent', 'sessions', `--${cwd.replace(/^[/\\]/, '').replace(/[/\\:]/g, '-')}--`)
}

export function writePiSession({random: r, text, home, cwd, targetBytes, startMs}) {
  const dir = piSessionDir(home, cwd)
  mkdirSync(dir, {recursive: true})
  const id = r.uuid()
  const clock = new Clock(startMs)
  const file = path.join(dir, `${clock.iso().replace(/[:.]/g, '-')}_${id}.jsonl`)
  const writer = new LineWriter(file)
  const model = r.pick(MODELS)
  const ids = new Set()
  let leaf = null
  const userEntries = []

  const entry = (type, fields, parentId = leaf) => {
    let entryId = r.hex(8)
    while (ids.has(entryId)) entryId = r.hex(8)
    ids.add(entryId)
    writer.write({type, id: entryId, parentId, timestamp: new Date(clock.tick(r, 5, 2000)).toISOString(), ...fields})
    leaf = entryId
    return entryId
  }

  const message = (msg, parentId) => entry('message', {message: {...msg, timestamp: clock.ms}}, parentId)

  writer.write({type: 'session', version: 3, id, timestamp: clock.iso(), cwd})
  entry('model_change', {provider: model.provider, modelId: model.model})
  entry('thinking_level_change', {thinkingLevel: r.pick(['off', 'medium', 'high'])})

  const sizing = {scale: 1, cap: 200_000, images: true}
  while (writer.bytes < targetBytes) {
    // Now and then the user went back in the tree (/tree) and asked again: an abandoned branch.
    const branchFrom = userEntries.length > 2 && r.chance(0.05) ? r.pick(userEntries).parentId : leaf
    clock.tick(r, 30_000, 900_000)
    const prompt = text.prose(r.int(1, 6))
    const content = r.chance(0.03) ? [{type: 'text', text: prompt}, {type: 'image', data: text.imageBase64(r.int(30_000, 300_000)), mimeType: 'image/png'}] : prompt
    const userId = message({role: 'user', content}, branchFrom)
    userEntries.push({id: userId, parentId: branchFrom})

    for (let step = r.int(1, 7); step > 0; step--) {
      if (writer.bytes >= targetBytes) step = 1
      const blocks = []
      if (r.chance(0.4)) blocks.push({type: 'thinking', thinking: text.prose(r.int(2, 15)), thinkingSignature: r.base62(r.int(100, 400))})
      const actions = step === 1 ? [] : Array.from({length: r.chance(0.2) ? r.int(2, 3) : 1}, () => toolAction(r, text, cwd, sizing))
      blocks.push({type: 'text', text: text.answer(step === 1 ? r.int(200, 2500) : r.int(20, 300))})
      const calls = actions.map((action) => ({type: 'toolCall', id: `toolu_${r.base62(24)}`, name: TOOL_NAMES[action.kind], arguments: toolArguments(action)}))
      clock.tick(r, 1000, 30_000)
      const input = r.int(500, 150_000)
      const output = r.int(20, 4000)
      message({role: 'assistant', content: [...blocks, ...calls], api: model.api, provider: model.provider, model: model.model, usage: {input, output, cacheRead: r.int(0, input), cacheWrite: r.int(0, 5000), totalTokens: input + output, cost: {input: input * 3e-6, output: output * 15e-6, cacheRead: 0, cacheWrite: 0, total: input * 3e-6 + output * 15e-6}}, stopReason: calls.length > 0 ? 'toolUse' : 'stop'})
      calls.forEach((call, i) => {
        const action = actions[i]
        clock.tick(r, 100, 60_000)
        const resultContent = action.kind === 'image' ? [{type: 'image', data: action.image, mimeType: 'image/png'}] : [{type: 'text', text: action.output}]
        message({role: 'toolResult', toolCallId: call.id, toolName: call.name, content: resultContent, details: action.kind === 'edit' ? {diff: `-${action.oldText}\n+${action.newText}`} : undefined, isError: action.isError})
      })
    }

    if (userEntries.length === 2 && r.chance(0.5)) entry('session_info', {name: text.prose(1).slice(0, 50)})
    if (r.chance(0.01)) entry('compaction', {summary: text.answer(r.int(1000, 5000)), firstKeptEntryId: userId, tokensBefore: r.int(100_000, 190_000), details: {readFiles: [], modifiedFiles: []}})
  }

  writer.close()
  const time = new Date(clock.ms)
  utimesSync(file, time, time)
  return {id, file, files: [file], bytes: writer.bytes, lastMs: clock.ms}
}

function toolArguments(action) {
  switch (action.kind) {
    case 'bash': return {command: action.command}
    case 'edit': return {path: action.file, edits: [{oldText: action.oldText, newText: action.newText}]}
    case 'write': return {path: action.file, content: action.content}
    case 'grep': return {pattern: action.pattern}
    default: return {path: action.file}
  }
}
