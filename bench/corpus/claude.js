import {mkdirSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Clock, toolAction} from './actions.js'
import {LineWriter} from './line-writer.js'

/**
 * Claude Code sessions as the CLI writes them (2.1.2xx–2.1.3xx layout): one record per
 * content block sharing the API message id, tool results with `toolUseResult`, progress and
 * file-history-snapshot bookkeeping, metadata records, subagents in <session>/subagents/.
 */
const VERSIONS = ['2.1.259', '2.1.301', '2.1.331']
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001']
const BRANCHES = ['main', 'main', 'feature/export', 'fix/parser', 'HEAD']
const TOOL_NAMES = {bash: 'Bash', read: 'Read', image: 'Read', edit: 'Edit', write: 'Write', grep: 'Grep'}

/** Same rule as Claude Code: every character outside [A-Za-z0-9] becomes '-'. */
export function claudeProjectDir(home, cwd) {
  return path.join(home, '.claude', 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'))
}

/** Writes one main session (and its subagents) of about `targetBytes`; returns what was written. */
export function writeClaudeSession({random, text, home, cwd, targetBytes, startMs}) {
  const dir = claudeProjectDir(home, cwd)
  mkdirSync(dir, {recursive: true})
  const sessionId = random.uuid()
  const file = path.join(dir, `${sessionId}.jsonl`)
  const session = {
    random,
    text,
    cwd,
    dir,
    sessionId,
    clock: new Clock(startMs),
    version: random.pick(VERSIONS),
    branch: random.pick(BRANCHES),
    slug: `${text.sentence().split(' ')[1]}-${random.pick(['floating', 'quiet', 'bright'])}-${random.pick(['river', 'music', 'lamp'])}`,
    model: random.pick(MODELS),
    // Big sessions carry big outputs (logs of whole test suites, large files read).
    scale: targetBytes > 20e6 ? 4 : 1,
    cap: targetBytes > 20e6 ? 2_000_000 : 300_000,
    targetBytes,
    sideBytes: 0,
    files: [file],
  }
  const main = new Transcript(session, new LineWriter(file), null)
  main.meta({type: 'permission-mode', permissionMode: 'default', sessionId})

  let turns = 0
  let nextCompaction = 3e6
  while (!main.full()) {
    conversationTurn(main)
    turns++
    if (turns === 1 || random.chance(0.05)) main.meta({type: 'ai-title', aiTitle: text.prose(1).slice(0, 60), sessionId})
    if (main.writer.bytes > nextCompaction) {
      compact(main)
      nextCompaction += 3e6
    }
  }

  if (random.chance(0.1)) main.meta({type: 'custom-title', customTitle: text.prose(1).slice(0, 40), sessionId})
  main.meta({type: 'last-prompt', lastPrompt: main.lastPrompt, leafUuid: main.last, sessionId})
  main.meta({type: 'cost-state', totalCostUSD: random.int(5, 4000) / 100, totalDuration: main.clock.ms - startMs, totalLinesAdded: random.int(0, 900), totalLinesRemoved: random.int(0, 300), modelUsage: {}, hasUnknownModelCost: false, sessionId})
  main.close()
  return {id: sessionId, file, files: session.files, bytes: main.writer.bytes + session.sideBytes, mainBytes: main.writer.bytes, lastMs: main.clock.ms}
}

/** One transcript file: the main session, or one subagent (sidechain). */
class Transcript {
  constructor(session, writer, agentId, budget = Infinity) {
    this.session = session
    this.writer = writer
    this.agentId = agentId
    this.budget = budget
    this.clock = agentId ? new Clock(session.clock.ms) : session.clock
    this.last = null
    this.lastPrompt = ''
  }

  /** The transcript reached its size: the turn under way ends with its final answer. */
  full() {
    if (this.agentId) return this.writer.bytes >= this.budget
    return this.writer.bytes + this.session.sideBytes >= this.session.targetBytes
  }

  get random() {
    return this.session.random
  }

  envelope(type, fields) {
    const s = this.session
    const uuid = this.random.uuid()
    const record = {
      parentUuid: this.last,
      isSidechain: this.agentId !== null,
      userType: 'external',
      cwd: s.cwd,
      sessionId: s.sessionId,
      version: s.version,
      gitBranch: s.branch,
      ...(this.agentId ? {agentId: this.agentId} : {}),
      ...(this.writer.lines > 2 ? {slug: s.slug} : {}),
      type,
      ...fields,
      uuid,
      timestamp: new Date(this.clock.tick(this.random, 5, 1500)).toISOString(),
    }
    this.writer.write(record)
    this.last = uuid
    return uuid
  }

  meta(record) {
    this.writer.write(record)
  }

  userPrompt(content, extra = {}) {
    return this.envelope('user', {message: {role: 'user', content}, ...extra})
  }

  /** One API response: one record per block, same message id and request id, usage copied on each. */
  assistant(blocks) {
    const r = this.random
    const id = `msg_01${r.base62(22)}`
    const requestId = `req_011${r.base62(21)}`
    const usage = {input_tokens: r.int(1, 12), cache_creation_input_tokens: r.int(0, 9000), cache_read_input_tokens: r.int(10_000, 160_000), cache_creation: {ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0}, output_tokens: 1, service_tier: 'standard'}
    const uuids = []
    for (const block of blocks) {
      usage.output_tokens += Math.ceil(JSON.stringify(block).length / 4)
      this.clock.tick(r, 200, 20_000)
      uuids.push(this.envelope('assistant', {message: {model: this.session.model, id, type: 'message', role: 'assistant', content: [block], stop_reason: null, stop_sequence: null, usage: {...usage}}, requestId}))
    }
    return uuids
  }

  toolResult(toolUseId, assistantUuid, content, isError, toolUseResult) {
    this.last = assistantUuid
    const block = {tool_use_id: toolUseId, type: 'tool_result', content, ...(isError ? {is_error: true} : {})}
    return this.envelope('user', {message: {role: 'user', content: [block]}, toolUseResult, sourceToolAssistantUUID: assistantUuid})
  }

  progress(data, toolUseID) {
    this.envelope('progress', {data, toolUseID, parentToolUseID: toolUseID})
  }

  close() {
    this.writer.close()
    const time = new Date(this.clock.ms)
    utimesSync(this.writer.file, time, time)
  }
}

function conversationTurn(t) {
  const {random: r, text} = t.session
  const prompt = text.prose(r.int(1, 6))
  t.lastPrompt = prompt
  if (!t.agentId) {
    const messageId = r.uuid()
    t.meta({type: 'file-history-snapshot', messageId, snapshot: {messageId, trackedFileBackups: {}, timestamp: t.clock.iso()}, isSnapshotUpdate: false})
  }

  t.clock.tick(r, 30_000, 900_000)
  if (r.chance(0.03)) {
    const content = [{type: 'text', text: `[Image #1] ${prompt}`}, {type: 'image', source: {type: 'base64', media_type: 'image/png', data: text.imageBase64(r.int(30_000, 400_000))}}]
    t.userPrompt(content, {imagePasteIds: [1], permissionMode: 'default', promptId: r.uuid()})
  } else {
    t.userPrompt(prompt, {permissionMode: 'default', promptId: r.uuid(), thinkingMetadata: {maxThinkingTokens: 31_999}})
  }

  if (r.chance(0.3)) t.progress({type: 'hook_progress', hookEvent: 'UserPromptSubmit', hookName: 'UserPromptSubmit', command: 'node .claude/hooks/context.js'}, null)
  agentLoop(t, r.int(1, 8))
  if (!t.agentId && r.chance(0.5)) t.envelope('system', {subtype: 'turn_duration', durationMs: r.int(2000, 600_000), isMeta: false})
}

/** Model steps until the final answer: thinking, text, tool calls and their results. */
function agentLoop(t, steps) {
  const {random: r, text} = t.session
  for (let step = 0; step < steps; step++) {
    const blocks = []
    if (r.chance(step === 0 ? 0.6 : 0.2)) blocks.push({type: 'thinking', thinking: r.chance(0.1) ? '' : text.prose(r.int(2, 20)), signature: r.base62(r.int(200, 600))})
    if (r.chance(0.5)) blocks.push({type: 'text', text: text.answer(r.int(40, 600))})
    const last = step === steps - 1 || t.full()
    if (last) {
      blocks.push({type: 'text', text: text.answer(r.int(200, 3000))})
      t.assistant(blocks)
      return
    }

    // Subagents take at most a sixth of a session, so the main file of a big session stays big.
    const spawn = !t.agentId && r.chance(0.04) && remaining(t) > 200_000 && t.session.sideBytes < t.session.targetBytes / 6
    const actions = spawn ? [] : Array.from({length: r.chance(0.2) ? r.int(2, 4) : 1}, () => toolAction(r, text, t.session.cwd, {...t.session, images: true}))
    const uses = actions.map((action) => ({type: 'tool_use', id: `toolu_01${r.base62(22)}`, name: TOOL_NAMES[action.kind], input: toolInput(action), caller: {type: 'direct'}}))
    if (spawn) uses.push({type: 'tool_use', id: `toolu_01${r.base62(22)}`, name: 'Agent', input: {description: text.prose(1).slice(0, 40), prompt: text.prose(r.int(3, 10)), subagent_type: 'general-purpose'}, caller: {type: 'direct'}})
    const uuids = t.assistant([...blocks, ...uses])
    const useUuids = uuids.slice(blocks.length)
    uses.forEach((use, i) => {
      if (use.name === 'Agent') return spawnSubagent(t, use, useUuids[i])
      const action = actions[i]
      t.clock.tick(r, 100, 60_000)
      if (r.chance(0.4)) t.progress({type: 'hook_progress', hookEvent: 'PreToolUse', hookName: `PreToolUse:${use.name}`, command: 'node .claude/hooks/guard.js'}, use.id)
      if (action.kind === 'bash') {
        for (let k = r.int(0, 3); k > 0; k--) t.progress({type: 'bash_progress', output: text.log(r.int(100, 800)), fullOutput: text.log(r.int(100, 1500)), elapsedTimeSeconds: r.int(1, 60), totalLines: r.int(5, 400)}, use.id)
      }
      t.toolResult(use.id, useUuids[i], resultContent(t, action, use.id), action.isError, toolUseResult(action))
    })
  }
}

function toolInput(action) {
  switch (action.kind) {
    case 'bash': return {command: action.command, description: action.description}
    case 'edit': return {file_path: action.file, old_string: action.oldText, new_string: action.newText, replace_all: false}
    case 'write': return {file_path: action.file, content: action.content}
    case 'grep': return {pattern: action.pattern, output_mode: 'files_with_matches'}
    default: return {file_path: action.file}
  }
}

/** The tool_result content the model saw; very long outputs are sometimes moved to tool-results/. */
function resultContent(t, action, toolUseId) {
  if (action.kind === 'image') return [{type: 'image', source: {type: 'base64', media_type: 'image/png', data: action.image}}]
  if (action.output.length > 50_000 && t.random.chance(0.3)) {
    const dir = path.join(t.session.dir, t.session.sessionId, 'tool-results')
    mkdirSync(dir, {recursive: true})
    const file = path.join(dir, `${toolUseId}.txt`)
    writeFileSync(file, action.output)
    t.session.files.push(file)
    return `<persisted-output>\nOutput too large (${(action.output.length / 1024).toFixed(1)}KB). Full output saved to: ${file}\n\nPreview (first 2KB):\n${action.output.slice(0, 2048)}\n...\n</persisted-output>`
  }

  return action.output
}

function toolUseResult(action) {
  if (action.isError) return `Error: ${action.output.slice(0, 200)}`
  switch (action.kind) {
    case 'bash': return {stdout: action.output, stderr: '', interrupted: false, isImage: false, noOutputExpected: false}
    case 'read': return {type: 'text', file: {filePath: action.file, content: action.content, numLines: action.content.split('\n').length, startLine: 1, totalLines: action.content.split('\n').length}}
    case 'image': return {type: 'image', file: {base64: action.image, type: 'image/png', originalSize: action.image.length * 0.75}}
    case 'edit': return {filePath: action.file, oldString: action.oldText, newString: action.newText, originalFile: action.original, structuredPatch: [{oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: [`-${action.oldText.split('\n')[0]}`, `+${action.newText.split('\n')[0]}`]}], userModified: false, replaceAll: false}
    case 'write': return {type: 'create', filePath: action.file, content: action.content, structuredPatch: [], originalFile: null}
    default: return {mode: 'files_with_matches', filenames: action.files, numFiles: action.files.length}
  }
}

/** A subagent transcript in <session>/subagents/, its sidecar, and the parent's tool result. */
function spawnSubagent(parent, use, useUuid) {
  const s = parent.session
  const r = s.random
  const agentId = `a${r.hex(16)}`
  const dir = path.join(s.dir, s.sessionId, 'subagents')
  mkdirSync(dir, {recursive: true})
  const file = path.join(dir, `agent-${agentId}.jsonl`)
  writeFileSync(path.join(dir, `agent-${agentId}.meta.json`), JSON.stringify({agentType: use.input.subagent_type, description: use.input.description, toolUseId: use.id, spawnDepth: 1, requestShape: 'foreground', model: s.model, finished: true}))
  const sub = new Transcript(s, new LineWriter(file), agentId, Math.min(remaining(parent) * 0.5, r.int(50_000, 2_000_000)))
  sub.userPrompt(use.input.prompt)
  while (!sub.full()) agentLoop(sub, r.int(2, 10))
  sub.close()
  s.files.push(file)
  s.sideBytes += sub.writer.bytes
  s.clock.ms = Math.max(s.clock.ms, sub.clock.ms)

  const summary = s.text.answer(r.int(300, 3000))
  const content = [{type: 'text', text: summary}, {type: 'text', text: `agentId: ${agentId} (use SendMessage with to: '${agentId}' to continue this agent)\n<usage>total_tokens: ${r.int(5000, 90_000)}\ntool_uses: ${r.int(1, 40)}\nduration_ms: ${r.int(5000, 400_000)}</usage>`}]
  parent.toolResult(use.id, useUuid, content, false, {status: 'completed', prompt: use.input.prompt, agentId, content: [{type: 'text', text: summary}], totalDurationMs: r.int(5000, 400_000), totalTokens: r.int(5000, 90_000), totalToolUseCount: r.int(1, 40), usage: {input_tokens: r.int(10, 900), output_tokens: r.int(100, 9000)}})
}

function remaining(t) {
  return t.session.targetBytes - t.writer.bytes - t.session.sideBytes
}

/** Compaction: boundary with a null parent, the summary the model continues from, the side call. */
function compact(t) {
  const s = t.session
  const r = s.random
  const logicalParentUuid = t.last
  t.last = null
  t.envelope('system', {subtype: 'compact_boundary', content: 'Conversation compacted', isMeta: false, level: 'info', logicalParentUuid, compactMetadata: {trigger: 'auto', preTokens: r.int(150_000, 190_000)}})
  const summary = `This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.\n\n${s.text.answer(r.int(2000, 8000))}`
  t.userPrompt(summary, {isCompactSummary: true, isVisibleInTranscriptOnly: true})

  const agentId = `acompact-${r.hex(6)}`
  const dir = path.join(s.dir, s.sessionId, 'subagents')
  mkdirSync(dir, {recursive: true})
  const file = path.join(dir, `agent-${agentId}.jsonl`)
  const side = new Transcript(s, new LineWriter(file), agentId)
  side.userPrompt('Your task is to create a detailed summary of the conversation so far.')
  side.assistant([{type: 'text', text: summary}])
  side.close()
  s.files.push(file)
  s.sideBytes += side.writer.bytes
}
