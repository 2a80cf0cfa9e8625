import {createHash} from 'node:crypto'
import {homedir, tmpdir} from 'node:os'
import path from 'node:path'
import {byCodeUnits, type RunInput} from './stamp.js'

/** Paths and the stamp they had: the run is the same while they still have it. */
export interface RunCheck {
  inputs: RunInput[]
  stamp: string
}

/**
 * A `sync` run that left every export up to date, remembered so the same run can be answered
 * without loading anything: what it depended on, their stamps, and what a run with nothing to do
 * prints.
 */
export interface RunRecord {
  version: 1
  checks: RunCheck[]
  stdout: string
}

/** What makes two runs the same run: the install, the command line, the folder and the environment. */
export interface RunIdentity {
  /** sessionsync's package folder. */
  root: string
  /** The command and its arguments, e.g. `['sync', '-o', 'out']`. */
  args: readonly string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** Whether stdout and stderr are terminals: what is printed may differ. */
  terminals: readonly boolean[]
}

/** This process's run of `args`, from sessionsync's package folder `root`. Throws when the current folder is gone. */
export function thisRun(root: string, args: readonly string[]): RunIdentity {
  return {args, cwd: process.cwd(), env: process.env, root, terminals: [Boolean(process.stdout.isTTY), Boolean(process.stderr.isTTY)]}
}

/** Shell variables that change from one command to the next and that nothing reads. */
const VOLATILE = new Set(['_', 'OLDPWD', 'PWD', 'SHLVL'])

/** Where the record of a run would be: one file per run identity in sessionsync's cache folder. */
export function recordFile(identity: RunIdentity): string {
  const env = Object.entries(identity.env)
    .filter(([name]) => !VOLATILE.has(name))
    .sort(([a], [b]) => byCodeUnits(a, b))
  const same = {args: identity.args, cwd: identity.cwd, env, node: process.version, root: path.resolve(identity.root), terminals: identity.terminals}
  const key = createHash('sha256').update(JSON.stringify(same)).digest('hex').slice(0, 32)
  return path.join(cacheFolder(identity.env), RECORDS_FOLDER, `${key}.json`)
}

export const RECORDS_FOLDER = 'runs'

/**
 * sessionsync's cache folder, found as oclif finds it (`config.cacheDir`), but without loading
 * oclif: that load is most of what the record saves.
 */
export function cacheFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.SESSIONSYNC_CACHE_DIR) return env.SESSIONSYNC_CACHE_DIR
  const windows = platform === 'win32'
  const windowsHome = (env.HOMEDRIVE && env.HOMEPATH && path.join(env.HOMEDRIVE, env.HOMEPATH)) || env.USERPROFILE
  const home = env.HOME || (windows && windowsHome) || homedir() || tmpdir()
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'sessionsync')
  return path.join(env.XDG_CACHE_HOME || (windows && env.LOCALAPPDATA) || path.join(home, '.cache'), 'sessionsync')
}

const SCOPES = new Set(['folders', 'listing', 'tree'])

/**
 * Checked by hand, not with a zod schema: the record is read before anything else is loaded,
 * and importing zod alone takes longer than answering from the record.
 */
export function parseRecord(text: string): RunRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<RunRecord> | null
    const wellFormed = (check: RunCheck) => typeof check?.stamp === 'string' && Array.isArray(check.inputs) && check.inputs.every((input) => typeof input?.path === 'string' && SCOPES.has(input.scope))
    if (value?.version === 1 && Array.isArray(value.checks) && value.checks.every(wellFormed) && typeof value.stdout === 'string') return value as RunRecord
  } catch {
    // Unreadable: the run simply takes the ordinary way, which writes a new record.
  }

  return undefined
}
