import {z} from 'zod'

/**
 * How much a session holds as its agent recorded it, before the options that shape an export
 * (`--no-tools` drops the calls, not the count of them): metadata says what happened.
 */
export const SessionCountsSchema = z.object({
  messages: z.number().describe('How many messages the session has, as its agent recorded them'),
  toolCalls: z.number().describe('How many tool calls its messages make'),
  // Absent from state files before sessionsync 0.5.0.
  tools: z.record(z.string(), z.number()).default({}).describe('Calls per tool, by tool name, the most called first'),
  // Absent from state files before sessionsync 0.12.0.
  ownTools: z
    .record(z.string(), z.number())
    .optional()
    .describe("Calls per tool in the session's own messages: a fork's after those it copied, which `tools` counts again; as `tools` for a session that is no fork"),
})

export type SessionCounts = z.infer<typeof SessionCountsSchema>
