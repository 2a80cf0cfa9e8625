import {z} from 'zod'
import {ExportStatusSchema} from './export-status.js'
import {SessionRefSchema} from './ref.js'
import {SessionSchema} from './session.js'

const session = SessionSchema.shape

/** What `sessionsync list --json` prints of a session. */
export const ListedSessionSchema = z.object({
  agent: session.agent,
  branch: z.string().nullable().describe('The last git branch the session was seen on; null when none is known'),
  createdAt: session.createdAt,
  expiresAt: z.string().nullable().describe('When the agent itself will delete the session, ISO-8601; null when it does not, and for a session it no longer has'),
  file: z.string().describe('Where the export is, or will be, relative to the output folder'),
  id: session.id,
  messages: z.number().nullable().describe("How many messages the session has, from its last export when that is up to date; null when not known without reading the session"),
  parentId: session.parentId,
  sizeBytes: SessionRefSchema.shape.sizeBytes.nullable().describe("The size of the session's source, in bytes; null when the agent no longer has it"),
  status: z
    .enum([...ExportStatusSchema.options, 'source gone', 'other machine'])
    .describe(`${ExportStatusSchema.description}; source gone: the agent no longer has the session, whose export is kept; other machine: another machine exported it into this folder (shared through git)`),
  title: session.title.nullable().describe("The session's title; null when the agent gave none and it was not exported yet"),
  updatedAt: session.updatedAt,
  workspace: session.workspace,
})

/** What `sessionsync list --json` prints. */
export const ListResultSchema = z.object({
  agents: z
    .array(z.object({agent: session.agent, installed: z.boolean().describe("Whether the agent's data was found on this machine")}))
    .describe('Every agent read'),
  format: z.string().describe('The format whose exports the status compares with'),
  output: z.string().describe('The output folder, as given'),
  sessions: z.array(ListedSessionSchema).describe('The sessions, the most recently updated first'),
})

export type ListedSession = z.infer<typeof ListedSessionSchema>
export type ListResult = z.infer<typeof ListResultSchema>
