/**
 * The scripted model: which turn to play next, decided from the conversation the agent sends.
 * Wire-format neutral; llm-server.ts translates requests into a Conversation and turns into SSE.
 */

/** A tool the agent offered the model, with the JSON schema of its input. */
export interface ToolSpec {
  name: string
  schema: {properties?: Record<string, {enum?: unknown[]}>; required?: string[]}
}

export interface Conversation {
  tools: ToolSpec[]
  /** Text of every user message that is not a tool result, oldest first. */
  userTexts: string[]
  /** Tool results received after the last user message that carries a scenario marker. */
  toolResultsSinceMarker: number
}

export interface ToolCall {
  name: string
  input: Record<string, unknown>
}

export interface Turn {
  thinking: string | null
  text: string | null
  toolCall: ToolCall | null
  /** The input tokens the reply reports: how full the agent takes its context to be. */
  inputTokens: number
}

/**
 * The context window and output limit the agents are told the scripted model has. The scenario of
 * a compaction reports a context nearly full (FULL_CONTEXT input tokens): the agents that compact
 * by themselves (OpenCode, Pi) then do; every other turn reports a few tokens, far from that.
 */
export const CONTEXT_WINDOW = 40_000
export const OUTPUT_LIMIT = 4096
const FULL_CONTEXT = 38_000
export const FEW_TOKENS = 120

/** The files the workspace holds before the agent starts (see driver.ts). */
export const WORKSPACE_FILES = {
  existing: 'README.md',
  missing: 'does-not-exist.md',
  image: 'pixel.png',
  written: 'notes/written-by-agent.txt',
}

export const TEXTS = {
  shellOutput: 'conformance-shell-ok',
  subagentShellOutput: 'conformance-subagent-ok',
  continuedShellOutput: 'conformance-continued-ok',
  compactShellOutput: 'conformance-before-compaction-ok',
  backgroundShellOutput: 'conformance-background-ok',
  written: 'Written by the agent during the conformance run.\n',
  failingCommand: 'ls /conformance-missing-dir',
  mainThinking: 'The user wants every kind of tool exercised. I will start with a shell command.',
  finalThinking: 'Every step produced its result, so I can summarise now.',
  final: 'All conformance steps are done.',
  subagentFinal: 'The subagent finished its check.',
  continuedFinal: 'The continued session is done.',
  forkFinal: 'The forked session answers differently.',
  otherFinal: 'The session on the other branch is done.',
  compactFinal: 'The session to compact is done.',
  backgroundFinal: 'The background work is started.',
  side: 'Conformance session',
}

export type ScenarioName = 'main' | 'subagent' | 'continue' | 'fork' | 'other' | 'compact' | 'background'

/** Put into the prompt; the server finds the scenario by it. */
export const marker = (name: ScenarioName) => `[[conformance:${name}]]`

const markerPattern = /\[\[conformance:(main|subagent|continue|fork|other|compact|background)]]/g

type Role = 'shell' | 'read' | 'write' | 'task'

const toolNamesByRole: Record<Role, string[]> = {
  shell: ['Bash', 'bash'],
  read: ['Read', 'read'],
  write: ['Write', 'write'],
  task: ['Agent', 'Task', 'task'],
}

function findTool(tools: ToolSpec[], role: Role): ToolSpec | undefined {
  return toolNamesByRole[role].map((name) => tools.find((tool) => tool.name === name)).find(Boolean)
}

/** The property of a tool's schema that takes a path (`file_path`, `filePath`, `path`). */
function pathKey(tool: ToolSpec): string {
  const keys = Object.keys(tool.schema.properties ?? {})
  return keys.find((key) => /^file_?path$/i.test(key)) ?? keys.find((key) => /path/i.test(key)) ?? 'path'
}

function withDescription(tool: ToolSpec, input: Record<string, unknown>, description: string) {
  return 'description' in (tool.schema.properties ?? {}) ? {...input, description} : input
}

type Step = (tools: ToolSpec[], workspace: string) => ToolCall | null

const shell =
  (command: string, description: string): Step =>
  (tools) => {
    const tool = findTool(tools, 'shell')
    return tool ? {name: tool.name, input: withDescription(tool, {command}, description)} : null
  }

const read =
  (file: string): Step =>
  (tools, workspace) => {
    const tool = findTool(tools, 'read')
    return tool ? {name: tool.name, input: {[pathKey(tool)]: `${workspace}/${file}`}} : null
  }

const write: Step = (tools, workspace) => {
  const tool = findTool(tools, 'write')
  return tool
    ? {name: tool.name, input: {[pathKey(tool)]: `${workspace}/${WORKSPACE_FILES.written}`, content: TEXTS.written}}
    : null
}

const subagent: Step = (tools) => {
  const tool = findTool(tools, 'task')
  if (!tool) return null
  // OpenCode's built-in subagent is `general`, Claude Code's `general-purpose`.
  const subagentType = tool.name === 'task' ? 'general' : 'general-purpose'
  const input = {
    description: 'Check the shell',
    prompt: `${marker('subagent')} Run one shell command and report.`,
    subagent_type: subagentType,
  }
  // Claude Code starts agents in the background unless told otherwise; wait for it instead.
  const foreground = 'run_in_background' in (tool.schema.properties ?? {}) ? {run_in_background: false} : {}
  return {name: tool.name, input: {...input, ...foreground}}
}

/** The step run in the background, where the agent's tool can (Claude Code's Bash and Agent); skipped elsewhere. */
const inBackground =
  (step: Step): Step =>
  (tools, workspace) => {
    const call = step(tools, workspace)
    const tool = call && tools.find((candidate) => candidate.name === call.name)
    return call && tool && 'run_in_background' in (tool.schema.properties ?? {}) ? {...call, input: {...call.input, run_in_background: true}} : null
  }

const steps: Record<ScenarioName, Step[]> = {
  main: [
    shell(`echo ${TEXTS.shellOutput}`, 'Print a marker'),
    read(WORKSPACE_FILES.existing),
    read(WORKSPACE_FILES.missing),
    read(WORKSPACE_FILES.image),
    write,
    shell(TEXTS.failingCommand, 'List a missing folder'),
    subagent,
  ],
  subagent: [shell(`echo ${TEXTS.subagentShellOutput}`, 'Print a marker')],
  continue: [shell(`echo ${TEXTS.continuedShellOutput} && git branch --show-current`, 'Show the branch')],
  fork: [],
  other: [],
  compact: [shell(`echo ${TEXTS.compactShellOutput}`, 'Print a marker')],
  background: [inBackground(shell(`sleep 1 && echo ${TEXTS.backgroundShellOutput}`, 'Print a marker later')), inBackground(subagent)],
}

const finals: Record<ScenarioName, string> = {
  main: TEXTS.final,
  subagent: TEXTS.subagentFinal,
  continue: TEXTS.continuedFinal,
  fork: TEXTS.forkFinal,
  other: TEXTS.otherFinal,
  compact: TEXTS.compactFinal,
  background: TEXTS.backgroundFinal,
}

function lastScenario(userTexts: string[]): ScenarioName | null {
  for (const text of [...userTexts].reverse()) {
    const found = [...text.matchAll(markerPattern)].at(-1)
    if (found) return found[1] as ScenarioName
  }
  return null
}

/** The next turn: a tool call per step (steps the agent has no tool for are skipped), then the answer. */
export function nextTurn(conversation: Conversation, workspace: string): Turn {
  const scenario = conversation.tools.length > 0 ? lastScenario(conversation.userTexts) : null
  // Side requests (titles, summaries, quota probes) come without tools or without a scenario prompt.
  if (!scenario) return {thinking: null, text: TEXTS.side, toolCall: null, inputTokens: FEW_TOKENS}
  const inputTokens = scenario === 'compact' ? FULL_CONTEXT : FEW_TOKENS
  const calls = steps[scenario]
    .map((step) => step(conversation.tools, workspace))
    .filter((call): call is ToolCall => call !== null)
  const index = conversation.toolResultsSinceMarker
  if (index < calls.length) {
    const first = index === 0
    return {
      thinking: first ? TEXTS.mainThinking : null,
      text: first ? 'I will work through the steps one tool at a time.' : null,
      toolCall: calls[index],
      inputTokens,
    }
  }
  return {thinking: TEXTS.finalThinking, text: finals[scenario], toolCall: null, inputTokens}
}
