import {countOf} from '../count.js'
import {pathInside} from '../display-path.js'
import {describeIssues} from '../kit/issues.js'
import type {SessionRef} from '../model/ref.js'
import {SessionRefSchema} from '../model/ref.js'
import type {Reader, ReaderContext} from '../plugin-api.js'

export interface Discovery {
  reader: Reader
  /** The agent's data on this machine; empty when it is not installed. */
  roots: string[]
  refs: SessionRef[]
}

/**
 * Asks one reader where its data is and which sessions it has. A reader that throws or
 * returns a malformed ref costs that ref (or that agent), never the whole run.
 */
export async function discover(reader: Reader, ctx: ReaderContext, found?: (count: number) => void): Promise<Discovery> {
  const roots = await reader.locate(ctx)
  return {reader, refs: roots.length === 0 ? [] : await checkedRefs(reader, reader.discover(roots, ctx), ctx, found), roots}
}

/** What `watch` keeps between its exports: each reader's last discovery, and the files changed since (null: anything may have changed). */
export interface Rediscovery {
  last: Map<Reader, Discovery>
  changed: ReadonlyMap<Reader, ReadonlySet<string> | null>
}

/**
 * In `watch`: the last discovery with the sessions of the changed files discovered again, when
 * the reader can do that, every file is under its roots, and the answer cannot differ from a
 * whole discovery's (see `withChanges`); otherwise everything. `whole` says which.
 */
export async function discoverAgain(reader: Reader, ctx: ReaderContext, rediscovery: Rediscovery): Promise<{discovery: Discovery; whole: boolean}> {
  const last = rediscovery.last.get(reader)
  // Forgotten until this discovery succeeds: after a failed one, the next is whole.
  rediscovery.last.delete(reader)
  const changed = rediscovery.changed.get(reader) ?? null
  const canTarget = reader.discoverFiles !== undefined && last !== undefined && last.roots.length > 0 && changed !== null && underRoots(last.roots, changed)
  const files = canTarget ? [...changed].sort() : []
  const targeted = canTarget ? await withChanges(reader, last, files, ctx) : null
  const discovery = targeted ?? (await discover(reader, ctx))
  ctx.debug(targeted ? `discovered the sessions of ${countOf(files.length, 'changed file')} alone` : 'discovered every session again')
  rediscovery.last.set(reader, discovery)
  return {discovery, whole: targeted === null}
}

/**
 * The last discovery with the sessions of `files` described again, in its order, new ones last.
 * Null when a whole discovery could find otherwise: a session a changed file no longer holds
 * (another file may hold one of the same id, which a whole discovery would then keep), or a
 * fresh session with the id of one another file holds (a whole discovery keeps the first it
 * meets, as a fork that copied a subagent's records does).
 */
async function withChanges(reader: Reader, last: Discovery, files: string[], ctx: ReaderContext): Promise<Discovery | null> {
  const fresh = await checkedRefs(reader, reader.discoverFiles!(files, last.roots, ctx), ctx)
  const freshById = new Map(fresh.map((ref) => [ref.id, ref]))
  const lastById = new Map(last.refs.map((ref) => [ref.id, ref]))
  const changed = new Set(files)
  const gone = (ref: SessionRef) => changed.has(ref.sourcePath) && !freshById.has(ref.id)
  const heldElsewhere = (ref: SessionRef) => {
    const held = lastById.get(ref.id)
    return held !== undefined && held.sourcePath !== ref.sourcePath && !changed.has(held.sourcePath)
  }
  if (last.refs.some(gone) || fresh.some(heldElsewhere)) return null
  const refs = last.refs.map((ref) => freshById.get(ref.id) ?? ref)
  refs.push(...fresh.filter((ref) => !lastById.has(ref.id)))
  return {reader, refs, roots: last.roots}
}

function underRoots(roots: readonly string[], files: ReadonlySet<string>): boolean {
  return [...files].every((file) => roots.some((root) => Boolean(pathInside(file, root))))
}

async function checkedRefs(reader: Reader, candidates: AsyncIterable<unknown>, ctx: ReaderContext, found?: (count: number) => void): Promise<SessionRef[]> {
  const refs: SessionRef[] = []
  const seen = new Set<string>()
  for await (const candidate of candidates) {
    const parsed = SessionRefSchema.safeParse(candidate, {reportInput: true})
    if (!parsed.success) {
      ctx.warn(`skipped a session the reader described badly: ${describeIssues(parsed.error.issues)}`)
    } else if (parsed.data.agent !== reader.agent || seen.has(parsed.data.id)) {
      ctx.debug(`ignored a duplicate or foreign session ${parsed.data.agent}/${parsed.data.id}`)
    } else {
      seen.add(parsed.data.id)
      refs.push(parsed.data)
      found?.(refs.length)
    }
  }

  return refs
}
