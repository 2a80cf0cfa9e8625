/**
 * What a describe block of agent runs shares: the scripted model server, and a temp folder for the
 * runs, removed afterwards unless KEEP_AGENT_RUNS is set (its path is printed then).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import type {AgentDefinition} from './agents.js'
import {type AgentCommand, agentEnv, type AgentRun, killAll, makeRunFolders, runStep} from './driver.js'
import {binDir, type Installation, installationOf, installedVersion, unavailable} from './installations.js'
import {type LlmServer, startLlmServer} from './llm-server.js'

export interface AgentRuns {
  server: LlmServer
  root: string
}

/** Set up by the enclosing block's `before`, ended by its `after`. */
export function agentRuns(prefix: string): AgentRuns {
  const runs = {} as AgentRuns
  before(async function () {
    runs.server = await startLlmServer()
    runs.root = mkdtempSync(path.join(tmpdir(), prefix))
  })

  after(async function () {
    killAll()
    await runs.server?.close()
    if (runs.root && !process.env.KEEP_AGENT_RUNS) rmSync(runs.root, {recursive: true, force: true})
    else if (runs.root) console.log(`  agent runs kept in ${runs.root}`)
  })

  return runs
}

/** The agent's installation, its version told; a test of an agent that cannot run here is skipped, saying why. */
export function installedOrSkip(context: Mocha.Context, agent: AgentDefinition): Installation {
  const reason = unavailable(agent)
  if (reason) {
    console.log(`  skipping ${agent.id}: ${reason}`)
    context.skip()
  }

  const installation = installationOf(agent)
  console.log(`  ${agent.id}: ${agent.packageName}@${installedVersion(agent, installation)}`)
  return installation
}

/** A run of one agent in fresh folders of its own, configured against the scripted server. */
export interface StartedRun {
  run: AgentRun
  /** The folder of the agent's commands. */
  bin: string
  /** Runs one step in the run's folders, kept in `run.commands`; an agent that fails it fails the test. */
  step(step: AgentCommand['step'], args: string[]): Promise<AgentCommand>
}

/** Starts a run of the agent in `folder` under the block's root (a test of an agent that cannot run here is skipped). */
export function startRun(context: Mocha.Context, runs: AgentRuns, agent: AgentDefinition, folder = agent.id): StartedRun {
  const bin = binDir(installedOrSkip(context, agent))
  const folders = makeRunFolders(path.join(runs.root, folder))
  agent.configure(folders, runs.server.url)
  runs.server.workspace = folders.workspace
  const run: AgentRun = {agent, commands: [], env: agentEnv(agent, folders, runs.server.url, bin), folders}
  return {
    bin,
    run,
    async step(step, args) {
      const command = await runStep(agent, bin, step, args, folders, run.env)
      run.commands.push(command)
      return command
    },
  }
}
