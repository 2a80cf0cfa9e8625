import type {ReaderContext} from '../plugin-api.js'

const foundInRun = new WeakMap<ReaderContext, Map<string, Promise<unknown>>>()

/**
 * What `find` gives for `key`, found once for every session a run reads with this context: for
 * what many sessions ask of one source, as each subagent asks its parent which call started it.
 * Searched again for each of them, a parent of many MB with hundreds of subagents made reading
 * them quadratic. A context serves one run (each `watch` export has its own), so nothing found
 * outlives a change to the source; a failure is not kept.
 */
export function oncePerRun<T>(ctx: ReaderContext, key: string, find: () => Promise<T>): Promise<T> {
  let found = foundInRun.get(ctx)
  if (!found) foundInRun.set(ctx, (found = new Map()))
  const known = found.get(key)
  if (known) return known as Promise<T>
  const finding = find()
  found.set(key, finding)
  finding.catch(() => found.delete(key))
  return finding
}
