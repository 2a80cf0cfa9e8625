/**
 * Runs sessionsync (the built CLI, as a user would) on the HOME an agent wrote into, and
 * reads back what it exported.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {decode} from '@toon-format/toon'

import {ExportDocumentSchema, fromExportDocument} from '../../src/model/export-document.js'
import {type Session, SessionSchema} from '../../src/model/session.js'
import {AGENTS_DIR} from './agents.js'
import type {AgentRun} from './driver.js'

/** This checkout's sessionsync, as built. */
export const CLI = path.resolve(AGENTS_DIR, '../../bin/run.js')

export type Format = 'json' | 'markdown' | 'toon'
export const EXTENSIONS: Record<Format, string> = {json: 'json', markdown: 'md', toon: 'toon'}

export interface Export {
  format: Format
  args: string[]
  code: number
  stdout: string
  stderr: string
  /** `<output>/<agent>`: where this agent's files are. */
  dir: string
  /** Session files, relative to `dir`, `/`-separated. */
  files: string[]
}

export interface ExportedSession {
  /** Relative to the agent folder of the export. */
  file: string
  session: Session
}

/** Options beyond format, output and agent, e.g. `['--no-thinking']` or `['--branch', 'x']`; run in `cwd`. */
export function sync(run: AgentRun, format: Format, options: string[] = [], workspace = run.folders.workspace, cwd = workspace): Promise<Export> {
  const output = mkdtempSync(path.join(run.folders.root, `export-${format}-`))
  const args = ['sync', '--agent', run.agent.name, '--workspace', workspace, '--output', output, '--format', format, '--force', ...options]
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: run.folders.home,
    SESSIONSYNC_CACHE_DIR: path.join(run.folders.root, 'sessionsync/cache'),
    SESSIONSYNC_CONFIG_DIR: path.join(run.folders.root, 'sessionsync/config'),
    SESSIONSYNC_DATA_DIR: path.join(run.folders.root, 'sessionsync/data'),
    ...run.agent.env(run.folders, 'http://127.0.0.1:9'),
  }
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {cwd, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
      const dir = path.join(output, run.agent.name)
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({format, args, code, stdout, stderr, dir, files: sessionFiles(dir, EXTENSIONS[format])})
    })
  })
}

/** Session exports below the agent folder; attachment folders hold no sessions. */
function sessionFiles(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith(`.${extension}`) && !file.split('/').includes('attachments'))
    .sort()
}

/** Every session of a JSON or TOON export, checked against the Session model. */
export function readSessions(exported: Export): ExportedSession[] {
  return exported.files.map((file) => {
    const text = readFileSync(path.join(exported.dir, file), 'utf8')
    const value: unknown = exported.format === 'toon' ? decode(text) : JSON.parse(text)
    const parsed = ExportDocumentSchema.safeParse(value)
    if (!parsed.success) throw new Error(`${file} is not an export document: ${parsed.error.message}`)
    return {file, session: SessionSchema.parse(fromExportDocument(parsed.data))}
  })
}

export function describeExport(exported: Export): string {
  return `sessionsync ${exported.args.join(' ')}\nexit ${exported.code}\n${exported.stderr}\n${exported.stdout}`.slice(0, 6000)
}
