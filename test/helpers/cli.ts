import {type ChildProcess, execFile, spawnSync} from 'node:child_process'
import {chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {type Session, SessionSchema} from '../../src/model/session.js'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(REPO, 'bin/run.js')
export const EXAMPLE_PLUGIN = path.join(REPO, 'test/fixtures/plugins/sessionsync-plugin-example')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

const created: string[] = []
// On exit rather than in a mocha root hook: the hook file is loaded as a module instance of its
// own, whose list of folders stays empty.
process.once('exit', () => {
  for (const folder of created.splice(0)) rmSync(folder, {force: true, recursive: true})
})

/** A fresh temporary folder, removed when the test process ends. */
export function tempDir(prefix = 'sessionsync-test-'): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix))
  created.push(folder)
  return folder
}

/** Runs the built CLI as a user would, in its own process, with the environment given; `started` gets the process (to signal it). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = REPO, started?: (child: ChildProcess) => void, user: {uid: number; gid: number} | null = null): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], {cwd, env: {PATH: process.env.PATH, ...env}, maxBuffer: 64 * 1024 * 1024, ...user}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr, stdout})
    })
    started?.(child)
  })
}

/** `nobody`, when the tests run as root (as in CI), who may read and write anywhere; null: this user already may not. */
const UNPRIVILEGED = process.getuid?.() === 0 ? {gid: 65_534, uid: 65_534} : null
let unprivilegedRuns: boolean | undefined

/**
 * Whether `nobody` can run this checkout's CLI at all: not when Node, the checkout or the
 * temporary folder lie in a folder only root may enter (a clone under /root). Tests that need it
 * skip themselves then.
 */
export function canRunUnprivileged(): boolean {
  const runs = (args: string[]) => spawnSync(process.execPath, args, {env: {HOME: tmpdir(), PATH: process.env.PATH}, ...UNPRIVILEGED}).status === 0
  // The folder the tests' temporary folders are made in: that user must be able to enter it too.
  unprivilegedRuns ??= UNPRIVILEGED === null || (runs([BIN, '--version']) && runs(['-e', "require('node:fs').accessSync(process.argv[1], 1)", tmpdir()]))
  return unprivilegedRuns
}

/**
 * Runs the CLI as a user bound by file permissions, in a folder that user may enter, with its
 * own HOME and oclif folders. Files a test locks stay locked for that user whoever runs the tests.
 */
export function runCliUnprivileged(args: string[], env: NodeJS.ProcessEnv, root: string): Promise<CliResult> {
  // A temporary folder is the creator's alone: the other user must be able to enter it.
  chmodSync(root, 0o755)
  const own = unprivilegedFolder(root)
  mkdirSync(own, {recursive: true})
  if (UNPRIVILEGED) chownSync(own, UNPRIVILEGED.uid, UNPRIVILEGED.gid)
  const folders = {HOME: own, SESSIONSYNC_CACHE_DIR: path.join(own, 'cache'), SESSIONSYNC_CONFIG_DIR: path.join(own, 'config'), SESSIONSYNC_DATA_DIR: path.join(own, 'data')}
  return runCli(args, {...env, ...folders}, REPO, undefined, UNPRIVILEGED)
}

/** The unprivileged user's own folder under `root`, where it may write. */
export function unprivilegedFolder(root: string): string {
  return path.join(root, 'unprivileged')
}

/**
 * A sandbox for end-to-end runs: an empty HOME (so the real agents' data on this machine is
 * never read), oclif folders of its own, the example third-party plugin linked in, and an
 * empty workspace folder.
 */
export async function sandbox(): Promise<{env: NodeJS.ProcessEnv; root: string; workspace: string}> {
  const root = tempDir()
  const env: NodeJS.ProcessEnv = {
    EXAMPLE_AGENT_HOME: path.join(root, 'example-agent'),
    HOME: path.join(root, 'home'),
    SESSIONSYNC_CACHE_DIR: path.join(root, 'oclif-cache'),
    SESSIONSYNC_CONFIG_DIR: path.join(root, 'oclif-config'),
    SESSIONSYNC_DATA_DIR: path.join(root, 'oclif-data'),
  }
  const linked = await runCli(['plugins', 'link', '--no-install', EXAMPLE_PLUGIN], env)
  if (linked.code !== 0) throw new Error(`could not link the example plugin: ${linked.stderr}`)
  const workspace = path.join(root, 'workspace')
  mkdirSync(workspace)
  return {env, root, workspace}
}

/** A fixture session as the core holds it once a reader returned it: checked, defaults filled in. */
export function fixtureSession(name: string): Session {
  return SessionSchema.parse(JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/sessions', `${name}.json`), 'utf8')))
}

/** Stores sessions where the example agent keeps them (and only those), all in the given workspace or each in its own. */
export function writeExampleSessions(env: NodeJS.ProcessEnv, sessions: Session[], workspace: string | ((index: number) => string)): void {
  const home = env.EXAMPLE_AGENT_HOME!
  rmSync(home, {force: true, recursive: true})
  mkdirSync(home, {recursive: true})
  for (const [index, session] of sessions.entries()) {
    const folder = typeof workspace === 'string' ? workspace : workspace(index)
    writeFileSync(path.join(home, `${String(index).padStart(3, '0')}.json`), JSON.stringify({...session, workspace: folder}))
  }
}

/** oclif wraps messages to the terminal width behind a › margin: one line, for matching. */
export function unwrap(text: string): string {
  return text.replaceAll(/\s*\n\s*(›\s*)?/g, ' ')
}
