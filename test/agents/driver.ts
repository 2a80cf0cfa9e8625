/**
 * Runs a real agent through the scripted scenarios in a temp git repository with a temp HOME,
 * bounded in time, never reaching the network.
 */
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import type {AgentDefinition, RunFolders} from './agents.js'
import {searchPath} from './installations.js'
import type {LlmServer} from './llm-server.js'
import {marker, WORKSPACE_FILES} from './scenario.js'

export const BRANCH = 'feature/conformance'
export const OTHER_BRANCH = 'feature/elsewhere'
export const RUN_TIMEOUT_MS = Number(process.env.AGENT_RUN_TIMEOUT_MS ?? 120_000)

/** A 1×1 PNG the agents read as an image. */
export const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

export const PROMPTS = {
  main: `${marker('main')} Exercise every tool once, then summarise.`,
  continue: `${marker('continue')} Continue: which branch are we on?`,
  fork: `${marker('fork')} Take another direction from here.`,
  other: `${marker('other')} A short session on another branch.`,
  compact: `${marker('compact')} Run one command; the context is then nearly full.`,
  background: `${marker('background')} Start a command and a subagent in the background.`,
}

export interface AgentCommand {
  step: keyof typeof PROMPTS
  args: string[]
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

const running = new Set<ChildProcess>()

/** Kills what is still running (the agents' process groups): on timeout and at teardown. */
export function killAll(): void {
  for (const child of running) killGroup(child)
}

// Even when the test run is cut short, no agent outlives it.
process.once('exit', killAll)

function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

function git(workspace: string, ...args: string[]) {
  execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {cwd: workspace, stdio: 'pipe'})
}

/** A git repository on a non-default branch, with the files the scenario reads. */
export function makeWorkspace(workspace: string): void {
  mkdirSync(workspace, {recursive: true})
  git(workspace, 'init', '-q', '-b', 'main')
  git(workspace, 'config', 'user.email', 'conformance@example.invalid')
  git(workspace, 'config', 'user.name', 'Conformance')
  writeFileSync(path.join(workspace, WORKSPACE_FILES.existing), '# Conformance workspace\n\nA file the agent reads.\n')
  writeFileSync(path.join(workspace, WORKSPACE_FILES.image), Buffer.from(PIXEL_PNG, 'base64'))
  git(workspace, 'add', '.')
  git(workspace, 'commit', '-q', '-m', 'Workspace for the conformance run')
  git(workspace, 'checkout', '-q', '-b', BRANCH)
}

export function checkout(workspace: string, branch: string): void {
  git(workspace, 'checkout', '-q', '-B', branch)
}

/** Variables every agent process gets: a temp HOME and TMPDIR, and a proxy that goes nowhere. */
export function agentEnv(agent: AgentDefinition, folders: RunFolders, serverUrl: string, bin: string): NodeJS.ProcessEnv {
  const deadProxy = 'http://127.0.0.1:9'
  return {
    PATH: searchPath(agent, bin),
    HOME: folders.home,
    TMPDIR: path.join(folders.root, 'tmp'),
    TERM: 'dumb',
    NO_COLOR: '1',
    CI: '1',
    // Whatever is not pointed at the local server fails fast instead of leaving the machine.
    HTTP_PROXY: deadProxy,
    HTTPS_PROXY: deadProxy,
    http_proxy: deadProxy,
    https_proxy: deadProxy,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    ...agent.env(folders, serverUrl),
  }
}

function runOnce(executable: string, step: AgentCommand['step'], args: string[], folders: RunFolders, env: NodeJS.ProcessEnv) {
  return new Promise<AgentCommand>((resolve) => {
    const child = spawn(executable, args, {cwd: folders.workspace, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
    running.add(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${RUN_TIMEOUT_MS} ms]`
      killGroup(child)
    }, RUN_TIMEOUT_MS)
    const finish = (code: number | null, signal: string | null) => {
      clearTimeout(timer)
      running.delete(child)
      // The agent may leave helpers behind (language servers, shells): end the whole group.
      killGroup(child)
      resolve({step, args, code, signal, stdout, stderr})
    }
    child.on('error', (error) => {
      stderr += String(error)
      finish(null, null)
    })
    child.on('close', finish)
  })
}

/** One step of a scenario; an agent that fails it fails the run, saying why. */
export async function runStep(agent: AgentDefinition, bin: string, step: AgentCommand['step'], args: string[], folders: RunFolders, env: NodeJS.ProcessEnv): Promise<AgentCommand> {
  const result = await runOnce(path.join(bin, agent.bin), step, args, folders, env)
  if (result.code !== 0) {
    throw new Error(`${agent.name} ${step} exited with ${result.code ?? result.signal}\n${result.stderr.slice(-4000)}\n${result.stdout.slice(-2000)}`)
  }

  return result
}

export interface AgentRun {
  agent: AgentDefinition
  folders: RunFolders
  env: NodeJS.ProcessEnv
  commands: AgentCommand[]
}

/** A run's HOME, TMPDIR and work tree (kept when it is there already) under `root`. */
export function makeRunFolders(root: string): RunFolders {
  const folders: RunFolders = {root, home: path.join(root, 'home'), workspace: path.join(root, 'workspace')}
  mkdirSync(folders.home, {recursive: true})
  mkdirSync(path.join(root, 'tmp'), {recursive: true})
  if (!existsSync(folders.workspace)) makeWorkspace(folders.workspace)
  return folders
}

/**
 * Plays the scenarios: a new session (every tool, a subagent where there is one), a continued
 * session, a fork of it, then a session on another branch; the work tree ends on BRANCH.
 */
export async function runAgent(agent: AgentDefinition, bin: string, server: LlmServer, root: string): Promise<AgentRun> {
  const folders = makeRunFolders(root)
  agent.configure(folders, server.url)
  server.workspace = folders.workspace
  const env = agentEnv(agent, folders, server.url, bin)
  const commands: AgentCommand[] = []
  const run = async (step: AgentCommand['step'], args: string[]) => {
    commands.push(await runStep(agent, bin, step, args, folders, env))
  }

  await run('main', agent.newSession(PROMPTS.main))
  await run('continue', agent.continueSession(PROMPTS.continue))
  await run('fork', agent.forkSession(PROMPTS.fork, folders))
  checkout(folders.workspace, OTHER_BRANCH)
  await run('other', agent.newSession(PROMPTS.other))
  checkout(folders.workspace, BRANCH)
  return {agent, folders, env, commands}
}

/**
 * The project of a run moves: a copy of its HOME and work tree, the work tree in another folder
 * and the agent's folder of its sessions renamed after it (where the agent keeps one), as a user
 * does; then the user picks up where they left off there, continuing the last session.
 */
export async function moveProject(run: AgentRun, bin: string, server: LlmServer): Promise<AgentRun> {
  const root = `${run.folders.root}-moved`
  const folders: RunFolders = {root, home: path.join(root, 'home'), workspace: path.join(root, 'moved')}
  // With their times: which session is the last one is told by them.
  cpSync(run.folders.home, folders.home, {preserveTimestamps: true, recursive: true})
  cpSync(run.folders.workspace, folders.workspace, {preserveTimestamps: true, recursive: true})
  mkdirSync(path.join(root, 'tmp'), {recursive: true})
  run.agent.renameSessionsFolder?.(folders, run.folders.workspace)
  const env = agentEnv(run.agent, folders, server.url, bin)
  const scripted = server.workspace
  server.workspace = folders.workspace
  try {
    return {agent: run.agent, commands: [await runStep(run.agent, bin, 'continue', run.agent.continueSession(PROMPTS.continue), folders, env)], env, folders}
  } finally {
    server.workspace = scripted
  }
}
