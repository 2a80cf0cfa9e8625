import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import type {ReaderContext} from 'sessionsync'
import {isRecord, text} from './format.js'
import {sqliteStores, warnOfSqliteStores} from './sqlite-store.js'

/** Pi expands `~` and `~/…` in the folders it is given (config.js `expandTildePath`). */
function expandTilde(folder: string, home: string): string {
  if (folder === '~') return home
  return folder.startsWith('~/') ? path.join(home, folder.slice(2)) : folder
}

/** `$PI_CODING_AGENT_DIR`, else `~/.pi/agent` (pi-coding-agent config.js `getAgentDir`). */
export function agentDir(ctx: ReaderContext): string {
  const override = ctx.env.PI_CODING_AGENT_DIR
  return override ? expandTilde(override, ctx.home) : path.join(ctx.home, '.pi', 'agent')
}

/**
 * The folder Pi ran in, as far as sessionsync knows: the workspace asked for, else the current
 * one. Pi reads the project's settings there, and resolves a relative session folder from it.
 */
function workingFolder(ctx: ReaderContext): string {
  return ctx.hints.workspace ?? process.cwd()
}

/** Pi's settings files: its global one, then the project's (`.pi/settings.json`), which overrides it. */
function settingsFiles(agent: string, ctx: ReaderContext): string[] {
  return [path.join(agent, 'settings.json'), path.join(workingFolder(ctx), '.pi', 'settings.json')]
}

/** A folder Pi was told to put sessions in, as Pi takes it: `~` expanded, relative to the folder it runs in. */
function toldFolder(folder: string, ctx: ReaderContext): string {
  return path.resolve(workingFolder(ctx), expandTilde(folder, ctx.home))
}

/** The `sessionDir` of a settings file, which moves new sessions out of the agent folder. */
async function settingsSessionDir(file: string, ctx: ReaderContext): Promise<string | null> {
  const raw = await readFile(file, 'utf8').catch(() => null)
  if (raw === null) return null
  try {
    const settings: unknown = JSON.parse(raw)
    const folder = isRecord(settings) ? text(settings.sessionDir) : null
    return folder ? toldFolder(folder, ctx) : null
  } catch {
    ctx.debug(`${file}: not valid JSON, its sessionDir is not followed`)
    return null
  }
}

async function isDirectory(folder: string): Promise<boolean> {
  return (await stat(folder).catch(() => null))?.isDirectory() ?? false
}

/**
 * What discovery depends on: every folder that may hold sessions, present or not, the settings
 * that may add one, and the SQLite store beside Pi's own folder, whose appearance is warned of.
 */
export async function inputs(ctx: ReaderContext): Promise<string[]> {
  const agent = agentDir(ctx)
  return [...settingsFiles(agent, ctx), ...sqliteStores(agent, []), ...(await candidateFolders(agent, ctx)).filter((folder) => folder !== null)]
}

/**
 * Pi takes one of these, by precedence (`--session-dir`, then the variable, then the settings);
 * sessionsync looks in every one, since sessions written before a setting changed stay where they were.
 */
async function candidateFolders(agent: string, ctx: ReaderContext): Promise<Array<string | null>> {
  const envFolder = ctx.env.PI_CODING_AGENT_SESSION_DIR ? toldFolder(ctx.env.PI_CODING_AGENT_SESSION_DIR, ctx) : null
  const settingsFolders = await Promise.all(settingsFiles(agent, ctx).map((file) => settingsSessionDir(file, ctx)))
  return [ownSessionsFolder(agent), envFolder, ...settingsFolders]
}

/** Where Pi puts sessions unless told otherwise: one folder per project inside. */
export function ownSessionsFolder(agent: string): string {
  return path.join(agent, 'sessions')
}

/** The name Pi gives the folder of the sessions started in `folder` (session-manager.js `getDefaultSessionDir`). */
function projectFolderName(folder: string): string {
  return `--${folder.replace(/^[/\\]/, '').replaceAll(/[/\\:]/g, '-')}--`
}

/**
 * The workspace of the session in `file`, which recorded `cwd`: the run's, when its folder was
 * renamed after the project moved there.
 */
export function workspaceOf(cwd: string, file: string, ctx: ReaderContext): string {
  return ctx.kit.movedWorkspace(cwd, ctx.hints.workspace, (folder) => path.basename(path.dirname(file)) === projectFolderName(folder))
}

/**
 * Every folder Pi may have written sessions to: `<agentDir>/sessions`, plus the folders set by
 * `$PI_CODING_AGENT_SESSION_DIR` and the `sessionDir` setting, global or the project's (files
 * directly inside those).
 */
export async function sessionFolders(ctx: ReaderContext): Promise<string[]> {
  const agent = agentDir(ctx)
  const folders: string[] = []
  for (const folder of await candidateFolders(agent, ctx)) {
    if (folder && !folders.includes(path.resolve(folder)) && (await isDirectory(folder))) folders.push(path.resolve(folder))
  }

  // Told here, as an agent folder that holds only the store has no sessions folder to discover.
  warnOfSqliteStores(sqliteStores(agent, folders), ctx)
  return folders
}
