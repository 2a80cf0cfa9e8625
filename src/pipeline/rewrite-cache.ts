/**
 * The state, the index and the discovery caches are files rewritten whole. A watch rewrites them
 * after every export, so what they are made of (each member's JSON text, each session's index
 * entry and line) is kept from one write to the next with the member it was made from. A single
 * run writes each of them once or twice, and kept, those parts only held memory: 96 MB of a run's
 * 168 MB at 15,000 sessions, all of it alive at the run's end, when the index is written.
 */
let keeping = false

/** From now on, what is made for the rewritten files is kept for the next rewrite (a watch). */
export function keepForRewrites(): void {
  keeping = true
}

/** A `WeakMap` that keeps what it is given only once `keepForRewrites` was called. */
export class RewriteCache<K extends object, V> extends WeakMap<K, V> {
  override set(key: K, value: V): this {
    return keeping ? super.set(key, value) : this
  }
}
