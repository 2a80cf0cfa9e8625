/** The leanest readable form: what an agent needs of a past session, without tool traffic or thinking. */
export const LEAN_VARIANT = 'markdown-lean'
/**
 * Every string of the session (texts, thinking, tool inputs and outputs, ids, metadata) and
 * nothing else: about the least a format that keeps every field (JSON, TOON) can cost.
 */
export const TEXT_VARIANT = 'text'

/** What `stats` measures besides the writers' formats, each a column of its own: no writer may take their names. */
export const STATS_VARIANTS: ReadonlySet<string> = new Set([LEAN_VARIANT, TEXT_VARIANT])
