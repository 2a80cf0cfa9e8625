import type {ReaderContext} from '../plugin-api.js'

const lastShared = new WeakMap<ReaderContext, {key: string; loaded: Promise<unknown>}>()

/**
 * What `load` gives for `key` (a file), shared with the reads of this run that ask for the same
 * key next, when `share` says more will: the branches a rewind left, each a session of its own
 * in one file, are read one after another, and loading the file again for each was most of what
 * exporting them cost. One load is kept per run context, and let go as soon as a read asks for
 * another key: a run holds no file longer than the sessions read from it need it.
 */
export function sharedLoad<T>(ctx: ReaderContext, key: string, load: () => Promise<T>, share: boolean): Promise<T> {
  const last = lastShared.get(ctx)
  if (last?.key === key) return last.loaded as Promise<T>
  lastShared.delete(ctx)
  const loaded = load()
  if (share) lastShared.set(ctx, {key, loaded})
  return loaded
}
