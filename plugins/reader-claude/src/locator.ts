import {z} from 'zod'

/** Where a discovered session is, so `read` finds it again without searching. */
export const LocatorSchema = z.discriminatedUnion('kind', [
  z.object({kind: z.literal('main'), file: z.string()}),
  /** A subagent in a file of its own: `<project>/agent-<id>.jsonl` or `<session>/subagents/agent-<id>.jsonl`. */
  z.object({agentId: z.string(), file: z.string(), kind: z.literal('subagent'), parentId: z.string()}),
  /** A subagent recorded inside its parent's file (Claude Code 1.0.x), keyed by agent id or first record. */
  z.object({file: z.string(), key: z.string(), kind: z.literal('inline'), parentId: z.string()}),
  /** A branch the user left by rewinding (`--all-branches`): the leaf it ends at, and its place among them. */
  z.object({file: z.string(), kind: z.literal('branch'), leafUuid: z.string(), number: z.number()}),
])

export type Locator = z.infer<typeof LocatorSchema>
