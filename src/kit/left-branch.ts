/** What marks the id of a branch a session left: the core tells branches by it (`shortId`, `show`). */
export const BRANCH_MARK = '.branch-'

const LEAF_OF_BRANCH = /\.branch-([0-9a-z]+)$/i

/**
 * The id and title of a branch a session left behind (`--all-branches`), exported as a session
 * of its own: its session's, marked with the leaf it ends at and its place among the branches.
 */
export function leftBranch(session: {id: string; title: string}, leafId: string, number: number): {id: string; title: string} {
  return {id: `${session.id}${BRANCH_MARK}${leafId.slice(0, 8)}`, title: `${session.title} (branch ${number})`}
}

/** The leaf a branch's id names, or null for the id of anything else. */
export function leafOfBranch(id: string): string | null {
  return LEAF_OF_BRANCH.exec(id)?.[1] ?? null
}

/** The id of the session a branch was left in, or null for the id of anything else. */
export function sessionOfBranch(id: string): string | null {
  const match = LEAF_OF_BRANCH.exec(id)
  return match ? id.slice(0, match.index) : null
}
