import {z} from 'zod'
import {MessageSchema, SessionSchema} from './session.js'

const session = SessionSchema.shape

export const MatchPlaceSchema = z
  .enum(['title', 'text', 'thinking', 'tool call', 'tool output', 'event', 'attachment', 'export'])
  .describe("Where in the session the match is: its title, what was said, thinking, a tool's call (its input as JSON) or output, an event, an attachment's name; export: a line of an export that is not JSON")

export const SearchMatchSchema = z.object({
  place: MatchPlaceSchema,
  role: MessageSchema.shape.role.nullable().describe('Who spoke the message it is in; null for the title and a line of an export'),
  timestamp: MessageSchema.shape.timestamp.describe('When the message it is in was written, ISO-8601; null for the title, a line of an export, and where the agent recorded no time'),
  tool: z.string().nullable().describe('The tool, for a tool call or its output; null otherwise'),
  snippet: z.string().describe('The match with some context around it, on one line'),
})

export const SessionMatchesSchema = z.object({
  matches: z.array(SearchMatchSchema).describe('The first matches, in the order of the session'),
  total: z.number().int().nonnegative().describe('Every place that matched, shown or not'),
})

/** A session `sessionsync search --json` found. */
export const FoundSessionSchema = z
  .object({
    agent: session.agent,
    createdAt: session.createdAt,
    export: z.string().nullable().describe("The session's export, from the current folder (it may be older than the session); null when there is none"),
    fromExport: z.boolean().describe('What was searched is the export: the agent no longer has the session, or another machine exported it'),
    id: session.id,
    otherMachine: z.boolean().describe('Exported on another machine, into a folder shared with this one'),
    title: session.title,
    updatedAt: session.updatedAt,
    workspace: session.workspace,
  })
  .extend(SessionMatchesSchema.shape)

export const SearchFindingsSchema = z.object({
  searched: z.number().int().nonnegative().describe('Sessions read, the most recently active first, until the limit was reached'),
  sessions: z.array(FoundSessionSchema).describe('The sessions that matched, the most recently active first'),
})

/** What `sessionsync search --json` prints. */
export const SearchResultSchema = z
  .object({
    pattern: z.string().describe('The text looked for, as given; empty when only --tool was'),
    tools: z.array(z.string()).describe('The tools given with --tool, as given'),
  })
  .extend(SearchFindingsSchema.shape)

export type MatchPlace = z.infer<typeof MatchPlaceSchema>
export type SearchMatch = z.infer<typeof SearchMatchSchema>
export type SessionMatches = z.infer<typeof SessionMatchesSchema>
export type FoundSession = z.infer<typeof FoundSessionSchema>
export type SearchFindings = z.infer<typeof SearchFindingsSchema>
export type SearchResult = z.infer<typeof SearchResultSchema>
