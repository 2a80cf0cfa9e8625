import type {GraphNode} from './transcript.js'

export interface Thread {
  nodes: GraphNode[]
  /** The parent links looped: the thread stops where the loop closed. */
  cycle: boolean
  /** Leaves the thread does not reach, in file order: where the user rewound and left a branch behind. */
  abandonedLeaves: string[]
  /** Records on the thread whose parent is not in the file, continued from the record before them. */
  rejoined: number
}

/**
 * The conversation as Claude Code resumes it: from the last leaf in the file back along
 * `parentUuid` to the root, across compaction boundaries through `logicalParentUuid`.
 * `members` limits the walk to one group of records (the main thread, or one subagent's
 * sidechain). `leafUuid` walks back from another leaf instead: a branch the user left.
 */
export function resumedThread(nodes: ReadonlyMap<string, GraphNode>, members: (node: GraphNode) => boolean, leafUuid: string | null = null): Thread {
  const candidates = [...nodes.values()].filter(members)
  const parents = new Set(candidates.map((node) => node.parent).filter((uuid) => uuid !== null))
  const leaves = candidates.filter((node) => !parents.has(node.uuid))
  // A compaction that kept or summarized the messages before it goes back to them; they go back to what it follows.
  const previous = (node: GraphNode): string | null => {
    const history = node.goesBackTo === null ? undefined : nodes.get(node.goesBackTo)
    return history && members(history) ? history.uuid : (node.parent ?? node.logicalParent)
  }

  const dangling = (node: GraphNode) => {
    const next = previous(node)
    return next !== null && !nodes.has(next)
  }

  /*
   * A parent that is not in the file (records of the side agents that suggest the next prompt,
   * records hanging off a `saved_hook_context` line, which is no record of the conversation)
   * would end the thread there and lose all before it: such a record continues from the one
   * before it in the file, as the repair tools for Claude Code's own resume do.
   */
  const step = (node: GraphNode): GraphNode | undefined => {
    if (dangling(node)) return recordBefore(candidates, node)
    const next = previous(node)
    const candidate = next === null ? undefined : nodes.get(next)
    return candidate && members(candidate) ? candidate : undefined
  }

  // Hooks and timings hang off the last turn too; progress records are never where a thread ends.
  // No leaf at all means the links loop: start from the last record, and the walk reports the loop.
  const chosen = leafUuid === null ? undefined : nodes.get(leafUuid)
  const leaf = chosen && members(chosen) ? chosen : lastReachingATurn(leaves.filter((node) => node.type !== 'progress'), step) ?? last(leaves) ?? last(candidates)
  if (!leaf) return {abandonedLeaves: [], cycle: false, nodes: [], rejoined: 0}

  const chain: GraphNode[] = []
  const visited = new Set<string>()
  let cycle = false
  let rejoined = 0
  for (let node: GraphNode | undefined = leaf; node; node = step(node)) {
    if (visited.has(node.uuid)) {
      cycle = true
      break
    }

    visited.add(node.uuid)
    chain.push(node)
    if (dangling(node) && recordBefore(candidates, node)) rejoined++
  }

  const thread = withParallelSiblings(chain, candidates, visited)
  const inThread = new Set(thread.map((node) => node.uuid))
  return {abandonedLeaves: abandonedLeaves(leaves, inThread, step), cycle, nodes: thread, rejoined}
}

const saysSomething = (node: GraphNode) => node.type === 'user' || node.type === 'assistant'

/**
 * The leaves of the branches a rewind left: off the thread, with a user or assistant record of
 * their own before they join it. Claude Code 2.x ends a turn with a record of its time
 * (`turn_duration`), so such a branch ends in a system record; a record that only hangs off the
 * thread (a hook, a timing) makes no branch, and nor does one hanging off a branch before its
 * end. Of two leaves after the same last message, the later one stands for the branch.
 */
function abandonedLeaves(leaves: readonly GraphNode[], inThread: ReadonlySet<string>, step: (node: GraphNode) => GraphNode | undefined): string[] {
  const leafByEnd = new Map<string, GraphNode>()
  const beforeEnds = new Set<string>()
  for (const leaf of leaves) {
    if (inThread.has(leaf.uuid) || leaf.type === 'progress') continue
    let end: GraphNode | undefined
    const seen = new Set<string>()
    for (let node: GraphNode | undefined = leaf; node && !inThread.has(node.uuid) && !seen.has(node.uuid); node = step(node)) {
      seen.add(node.uuid)
      if (end) beforeEnds.add(node.uuid)
      else if (saysSomething(node)) end = node
    }

    const known = end && leafByEnd.get(end.uuid)
    if (end && (!known || leaf.order > known.order)) leafByEnd.set(end.uuid, leaf)
  }

  return [...leafByEnd]
    .filter(([end]) => !beforeEnds.has(end))
    .map(([, leaf]) => leaf)
    .sort((a, b) => a.order - b.order)
    .map((leaf) => leaf.uuid)
}

/**
 * Parallel tool calls split one API message over sibling records, each tool result hanging
 * off its own call: a single parent chain misses the siblings. Claude Code re-inserts the
 * records of the same message and the results of its calls; so does this.
 */
function withParallelSiblings(chain: GraphNode[], candidates: GraphNode[], onChain: Set<string>): GraphNode[] {
  const messageIds = new Set(chain.flatMap((node) => (node.messageId === null ? [] : [node.messageId])))
  const siblings = candidates.filter((node) => !onChain.has(node.uuid) && node.messageId !== null && messageIds.has(node.messageId))
  const callIds = new Set([...chain, ...siblings].flatMap((node) => (node.type === 'assistant' ? node.toolUseIds : [])))
  const results = candidates.filter((node) => !onChain.has(node.uuid) && node.type === 'user' && node.toolUseIds.some((id) => callIds.has(id)))
  return [...chain, ...siblings, ...results].sort((a, b) => a.order - b.order)
}

/** The record just before `node` in the file among `inOrder` (in file order): found by halving, as it is rarely asked. */
function recordBefore(inOrder: readonly GraphNode[], node: GraphNode): GraphNode | undefined {
  let low = 0
  let high = inOrder.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (inOrder[middle].order < node.order) low = middle + 1
    else high = middle
  }

  return inOrder[low - 1]
}

function last(nodes: GraphNode[]): GraphNode | undefined {
  let found: GraphNode | undefined
  for (const node of nodes) if (!found || node.order > found.order) found = node
  return found
}

/**
 * The last leaf in the file whose links lead back to a user or assistant record, as Claude Code
 * picks it: a chain of hooks alone would otherwise leave the conversation out. Links already
 * followed from a later leaf are not followed again.
 */
function lastReachingATurn(leaves: GraphNode[], step: (node: GraphNode) => GraphNode | undefined): GraphNode | undefined {
  const followed = new Set<string>()
  for (const leaf of [...leaves].sort((a, b) => b.order - a.order)) {
    for (let node: GraphNode | undefined = leaf; node && !followed.has(node.uuid); node = step(node)) {
      if (node.type === 'user' || node.type === 'assistant') return leaf
      followed.add(node.uuid)
    }
  }

  return undefined
}

/** A subagent recorded inside its parent's file (Claude Code 1.0.x): its records and root. */
export interface InlineSidechain {
  /** The agent id on its records, or the uuid of its first record when there is none. */
  key: string
  root: GraphNode
  members: Set<string>
}

/** Groups a file's sidechain records into subagents: one per chain of sidechain records. */
export function inlineSidechains(nodes: ReadonlyMap<string, GraphNode>): InlineSidechain[] {
  const rootOf = new Map<string, GraphNode>()
  const findRoot = (start: GraphNode): GraphNode => {
    const path: GraphNode[] = []
    let node = start
    while (!rootOf.has(node.uuid)) {
      path.push(node)
      const parent = node.parent === null ? undefined : nodes.get(node.parent)
      if (!parent?.sidechain || path.includes(parent)) break
      node = parent
    }

    const root = rootOf.get(node.uuid) ?? node
    for (const member of path) rootOf.set(member.uuid, root)
    return root
  }

  const groups = new Map<string, InlineSidechain>()
  for (const node of nodes.values()) {
    if (!node.sidechain) continue
    const root = findRoot(node)
    const group = groups.get(root.uuid) ?? {key: root.agentId ?? root.uuid, members: new Set<string>(), root}
    group.members.add(node.uuid)
    groups.set(root.uuid, group)
  }

  return [...groups.values()].sort((a, b) => a.root.order - b.root.order)
}
