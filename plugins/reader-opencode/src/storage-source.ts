import {readdir, readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import type {ReaderContext} from 'sessionsync'
import type {Json} from './json.js'
import {isRecord, text} from './json.js'
import type {ForkFacts, SessionInfo, SessionSource, StoredMessage, StoredSession} from './stored.js'
import {byCreation, createdTime, extraFacts, FORK_TITLE, parseRecord, spawningCallIn, timeOf} from './stored.js'
import {promptOf} from './messages.js'

/**
 * The JSON layout of OpenCode ≤ 1.1 under `<data>/storage/`, which later versions leave in
 * place: `session/<projectID>/<sessionID>.json`, `message/<sessionID>/<messageID>.json`,
 * `part/<messageID>/<partID>.json`. Ids come from the file names, as OpenCode's own importer
 * takes them: older layout migrations moved files without rewriting them.
 */
export interface SessionFile {
  file: string
  info: SessionInfo
}

const idOf = (file: string) => path.basename(file, '.json')

async function jsonFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[])
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(folder, name))
}

async function readRecord(file: string, warn: (message: string) => void): Promise<Json | null> {
  const raw = await readFile(file, 'utf8').catch((error: Error) => {
    warn(`${file}: could not be read (${error.message}); skipped`)
    return null
  })
  return raw === null ? null : parseRecord(raw, file, warn)
}

function sessionInfoFromJson(json: Json, file: string): SessionInfo {
  const time = isRecord(json.time) ? json.time : {}
  const share = isRecord(json.share) ? json.share : {}
  return {
    created: timeOf(time.created),
    directory: text(json.directory),
    extra: extraFacts({
      agent: json.agent,
      archived: time.archived,
      path: json.path,
      projectId: path.basename(path.dirname(file)),
      revert: json.revert,
      shareUrl: share.url,
      slug: json.slug,
    }),
    // 1.x keeps no link to a fork's original.
    forkedFrom: null,
    id: idOf(file),
    parentId: text(json.parentID),
    title: text(json.title),
    updated: timeOf(time.updated),
    version: text(json.version),
  }
}

/** Every session file of the JSON storage, with its info (each file is a few hundred bytes). */
export async function* sessionFiles(storage: string, ctx: ReaderContext): AsyncGenerator<SessionFile> {
  const sessions = path.join(storage, 'session')
  const projects = await readdir(sessions, {withFileTypes: true}).catch(() => [])
  for (const project of projects.filter((entry) => entry.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    yield* projectSessionFiles(path.join(sessions, project.name), ctx.warn)
  }
}

/** The session files of one project's folder, with their info; a file that cannot be read is told to `warn` and passed over. */
async function* projectSessionFiles(folder: string, warn: (message: string) => void): AsyncGenerator<SessionFile> {
  for (const file of await jsonFiles(folder)) {
    const json = await readRecord(file, warn)
    if (json) yield {file, info: sessionInfoFromJson(json, file)}
  }
}

/** Changes when the session file is rewritten or a message file is added to its folder. */
export async function storageFingerprint(storage: string, {file, info}: SessionFile, ctx: ReaderContext): Promise<{fingerprint: string; sizeBytes: number}> {
  const session = await stat(file)
  const messages = await stat(path.join(storage, 'message', info.id)).catch(() => null)
  return {fingerprint: `${ctx.kit.fileFingerprint(session)}:${messages ? Math.trunc(messages.mtimeMs) : 0}`, sizeBytes: session.size}
}

/** `storage/` from a session file's path: `storage/session/<projectID>/<id>.json`. */
function storageOf(sessionFile: string): string {
  return path.dirname(path.dirname(path.dirname(sessionFile)))
}

/** A session's message infos (a few hundred bytes each), in the order they were written. */
async function messageInfos(storage: string, sessionId: string, warn: (message: string) => void): Promise<Array<{id: string; info: Json}>> {
  const messages: Array<{id: string; info: Json; created: number}> = []
  for (const file of await jsonFiles(path.join(storage, 'message', sessionId))) {
    const info = await readRecord(file, warn)
    if (info) messages.push({created: createdTime(info) ?? 0, id: idOf(file), info})
  }

  return messages.sort(byCreation).map(({id, info}) => ({id, info}))
}

async function partsOf(storage: string, messageId: string, warn: (message: string) => void): Promise<Json[]> {
  const parts: Json[] = []
  for (const file of await jsonFiles(path.join(storage, 'part', messageId))) {
    const part = await readRecord(file, warn)
    if (part) parts.push({...part, id: idOf(file)})
  }

  return parts
}

async function messagesOf(storage: string, sessionId: string, ctx: ReaderContext): Promise<StoredMessage[]> {
  const messages: StoredMessage[] = []
  for (const {id, info} of await messageInfos(storage, sessionId, ctx.warn)) messages.push({id, info, parts: await partsOf(storage, id, ctx.warn)})
  return messages
}

/** The person's first words in a session: only the parts of their first messages are read. */
export async function storedFirstPrompt(storage: string, sessionId: string, ctx: ReaderContext): Promise<string | null> {
  for (const {id, info} of await messageInfos(storage, sessionId, ctx.debug)) {
    const prompt = info.role === 'user' ? promptOf(await partsOf(storage, id, ctx.debug)) : null
    if (prompt !== null) return prompt
  }

  return null
}

async function loadSession(sessionFile: string, ctx: ReaderContext): Promise<StoredSession> {
  const json = await readRecord(sessionFile, ctx.warn)
  if (!json) throw new Error(`${sessionFile}: the session file could not be read`)
  const info = sessionInfoFromJson(json, sessionFile)
  return {info, messages: await messagesOf(storageOf(sessionFile), info.id, ctx)}
}

/**
 * The sessions of a project's folder, read once per run: each fork looks among them for its
 * original, and read for each fork, a project of thousands of sessions made forks quadratic.
 */
function projectSessions(folder: string, ctx: ReaderContext): Promise<SessionInfo[]> {
  return ctx.kit.oncePerRun(ctx, `project sessions\n${folder}`, async () => {
    const infos: SessionInfo[] = []
    for await (const {info} of projectSessionFiles(folder, ctx.debug)) infos.push(info)
    return infos
  })
}

/**
 * Looked for among the sessions of the same project that are older and titled like the fork
 * (the original's title, or another fork's of it): each of those has its messages read.
 */
async function forkOrigin(sessionFile: string, fork: ForkFacts, ctx: ReaderContext): Promise<string | null> {
  const title = fork.title.replace(FORK_TITLE, '')
  const candidates = (await projectSessions(path.dirname(sessionFile), ctx)).filter(
    (info) => info.created !== null && info.created < fork.created && (info.title === title || info.title?.startsWith(`${title} (fork #`)),
  )
  for (const candidate of candidates.sort((a, b) => b.created! - a.created!)) {
    for (const file of await jsonFiles(path.join(storageOf(sessionFile), 'message', candidate.id))) {
      const info = await readRecord(file, ctx.debug)
      if (info && createdTime(info) === fork.copiedAt) return candidate.id
    }
  }

  return null
}

/** A session file of the JSON storage; its parent is looked for in the same storage. */
export function storageSource(sessionFile: string, childId: string): SessionSource {
  return {
    forkOrigin: (fork, ctx) => forkOrigin(sessionFile, fork, ctx),
    load: (ctx) => loadSession(sessionFile, ctx),
    spawningCall(parentId, ctx) {
      const storage = storageOf(sessionFile)
      return spawningCallIn(storage, parentId, childId, async () => (await messagesOf(storage, parentId, {...ctx, warn: ctx.debug})).flatMap((message) => message.parts), ctx)
    },
  }
}
