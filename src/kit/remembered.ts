import type {DiscoveryMemo} from '../plugin-api.js'

/**
 * What `memo` holds for `key` at this fingerprint, when `parse` accepts it (a memo written by
 * another version may hold something else); otherwise what `find` finds, kept for the next
 * run. Finding nothing (null) is not kept, so a file that could not be read is tried again.
 */
export async function remembered<T>(memo: DiscoveryMemo, key: string, fingerprint: string, parse: (value: unknown) => T | undefined, find: () => Promise<T>): Promise<T> {
  const known = parse(memo.get(key, fingerprint))
  if (known !== undefined) return known
  const found = await find()
  if (found !== null) memo.set(key, fingerprint, found)
  return found
}
