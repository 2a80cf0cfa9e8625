import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import type {ReaderContext} from 'sessionsync'

/**
 * Claude Code's configuration folders: `$CLAUDE_CONFIG_DIR`, else `~/.claude`; some 1.0.x
 * builds wrote to `~/.config/claude`, so that is looked at too.
 */
function configFolders(ctx: ReaderContext): string[] {
  const primary = ctx.env.CLAUDE_CONFIG_DIR?.trim() || path.join(ctx.home, '.claude')
  return [...new Set([path.resolve(primary), path.join(ctx.home, '.config', 'claude')])]
}

/** The `projects` folders that exist: one per configuration folder in use. */
export async function projectRoots(ctx: ReaderContext): Promise<string[]> {
  const roots = configFolders(ctx).map((folder) => path.join(folder, 'projects'))
  const present = await Promise.all(roots.map((root) => stat(root).then((info) => info.isDirectory(), () => false)))
  return roots.filter((_, index) => present[index])
}

/** What discovery depends on: the projects folders, and the settings that set how long sessions are kept. */
export async function inputs(ctx: ReaderContext): Promise<string[]> {
  return configFolders(ctx).flatMap((folder) => [path.join(folder, 'projects'), path.join(folder, 'settings.json')])
}

const DEFAULT_CLEANUP_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * How long Claude Code keeps a transcript after its last change (`cleanupPeriodDays` in
 * settings.json, 30 days unless set), so sessionsync can warn before history disappears.
 * Claude Code takes a whole number of days, at least 1 (since 2.1.89: 0 no longer turns the
 * cleanup off), so anything else leaves the default.
 */
export async function retentionMs(projectsRoot: string, ctx: ReaderContext): Promise<number> {
  const settingsFile = path.join(path.dirname(projectsRoot), 'settings.json')
  try {
    const settings = JSON.parse(await readFile(settingsFile, 'utf8')) as {cleanupPeriodDays?: unknown}
    const days = settings.cleanupPeriodDays
    if (Number.isInteger(days) && (days as number) >= 1) return (days as number) * DAY_MS
    if (days !== undefined) ctx.debug(`${settingsFile}: cleanupPeriodDays ${JSON.stringify(days)} is not a whole number of days, at least 1; assuming ${DEFAULT_CLEANUP_DAYS} days of retention, as Claude Code does`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') ctx.debug(`${settingsFile} could not be read (${(error as Error).message}); assuming ${DEFAULT_CLEANUP_DAYS} days of retention`)
  }

  return DEFAULT_CLEANUP_DAYS * DAY_MS
}
