/**
 * Where each agent comes from: the pinned install (test/agents/node_modules, or the node_modules of
 * the folder that pins it, from its package-lock.json) or, for a version named in
 * AGENT_VERSIONS=claude@x,opencode@y,pi@z,pi-1@w, a cache folder of its own.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {AGENTS, AGENTS_DIR, type AgentDefinition} from './agents.js'
import {NEWEST_NODE_FOLDER} from './newest-node.js'

export interface Installation {
  /** The folder whose node_modules/.bin holds the agent. */
  prefix: string
  /** What npm is asked for, e.g. `opencode-ai@1.18.33`; null for the pinned lock file. */
  spec: string | null
}

export function requestedVersions(value = process.env.AGENT_VERSIONS ?? ''): Map<string, string> {
  const requested = new Map<string, string>()
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const at = item.lastIndexOf('@')
    const id = item.slice(0, at)
    if (at <= 0 || !AGENTS.some((agent) => agent.id === id)) {
      throw new Error(`AGENT_VERSIONS: "${item}" is not <agent>@<version> with agent ${AGENTS.map((agent) => agent.id).join(', ')}`)
    }
    requested.set(id, item.slice(at + 1))
  }
  return requested
}

export function installationOf(agent: AgentDefinition, requested = requestedVersions()): Installation {
  const version = requested.get(agent.id)
  if (!version) return {prefix: path.join(AGENTS_DIR, agent.pinnedIn), spec: null}
  const spec = `${agent.packageName}@${version}`
  return {prefix: path.join(AGENTS_DIR, '.versions', `${agent.id}@${version}`), spec}
}

export const binDir = (installation: Installation) => path.join(installation.prefix, 'node_modules/.bin')

/** The agent's PATH: its own commands first, then the Node.js it needs where that is not this one. */
export function searchPath(agent: AgentDefinition, bin: string): string {
  const runtime = agent.runtime === null ? [] : [binDir({prefix: path.join(AGENTS_DIR, agent.runtime), spec: null})]
  return [bin, ...runtime, process.env.PATH].join(path.delimiter)
}

const npm = (args: string[]) => execFileSync('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], {stdio: 'inherit'})

/** A pinned install is current when npm's own record of it is newer than the lock file. */
function pinnedIsCurrent(folder: string): boolean {
  const record = path.join(folder, 'node_modules/.package-lock.json')
  return existsSync(record) && statSync(record).mtimeMs >= statSync(path.join(folder, 'package-lock.json')).mtimeMs
}

/**
 * Installs what the run needs: the pinned lock files (the agents', the newest Node's), plus any
 * version AGENT_VERSIONS names.
 * Not `npm ci`: it refuses a lock file that lacks platform packages the registry does not serve
 * (opencode-ai lists builds for every platform; a registry mirror may carry only some), while
 * `npm install --no-save` installs exactly the locked versions and leaves the lock file alone.
 */
export function install(): void {
  for (const folder of new Set([...AGENTS.map((agent) => agent.pinnedIn), NEWEST_NODE_FOLDER].map((pinnedIn) => path.join(AGENTS_DIR, pinnedIn)))) {
    tryInstall(`what is pinned in ${folder}`, () => pinnedIsCurrent(folder) || npm(['install', '--no-save', '--prefix', folder]))
  }

  for (const agent of AGENTS) {
    const installation = installationOf(agent)
    if (!installation.spec || existsSync(path.join(binDir(installation), agent.bin))) continue
    tryInstall(installation.spec, () => npm(['install', '--prefix', installation.prefix, '--no-save', '--no-package-lock', installation.spec!]))
  }
}

/** A failed install (no registry, a platform without a build) leaves that agent skipped, saying why. */
function tryInstall(what: string, run: () => unknown): void {
  try {
    run()
  } catch (error) {
    console.warn(`could not install ${what}: ${(error as Error).message.split('\n')[0]}; the suite skips what is missing`)
  }
}

/** The version the installed package reports, or null when it is not installed. */
export function installedVersion(agent: AgentDefinition, installation: Installation): string | null {
  const manifest = path.join(installation.prefix, 'node_modules', agent.packageName, 'package.json')
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as {version: string}).version : null
}

/** Why an agent cannot run here (not installed, or its binary does not start), or null. */
export function unavailable(agent: AgentDefinition): string | null {
  const installation = installationOf(agent)
  const version = installedVersion(agent, installation)
  if (!version) return `${agent.packageName} is not installed in ${installation.prefix} (npm run test:agents installs it)`
  try {
    const bin = binDir(installation)
    execFileSync(path.join(bin, agent.bin), ['--version'], {stdio: 'pipe', timeout: 30_000, env: {...process.env, HOME: tmpdir(), PATH: searchPath(agent, bin)}})
  } catch (error) {
    return `${agent.packageName}@${version} does not start on this machine: ${String((error as Error).message).split('\n')[0]}`
  }
  return null
}
