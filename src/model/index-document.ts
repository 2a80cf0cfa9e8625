import {z} from 'zod'
import {SessionCountsSchema} from './counts.js'
import {SessionSchema} from './session.js'

/**
 * `index.json`, the list of every session exported into an output folder, for programs. Its
 * version changes when a field is removed or changes meaning, not when one is added.
 */
export const INDEX_SCHEMA_VERSION = 1

const session = SessionSchema.shape
const counts = SessionCountsSchema.shape
/** A field's description, saying that exports made before sessionsync kept it have it null. */
const nullBefore = (version: string, field: z.ZodType) => `${field.description}; null for exports made before sessionsync ${version}`

// In the order an entry's fields are written (`indexEntries`), which users' diffs of the file rely on.
export const IndexEntrySchema = z
  .object({
    agent: session.agent,
    branch: z.string().nullable().describe('The git branch the session was last on, else the one it started on; null when none is known'),
    copiedMessages: session.copiedMessages.describe(`${session.copiedMessages.description}; null too for exports made before sessionsync 0.4.0`),
    createdAt: session.createdAt,
    filesChanged: session.filesChanged.describe(`${session.filesChanged.description}; empty too for exports made before sessionsync 0.5.0`),
    bytes: z
      .record(z.string(), z.number().nonnegative().nullable())
      .describe('The size of each file in `files`, in bytes, by format; null for exports made before sessionsync 0.5.0'),
    files: z.record(z.string(), z.string()).describe('The exported files of the session by format (markdown, json, toon, or a writer plugin\'s), relative to the output folder'),
    forkedFrom: session.forkedFrom,
    id: session.id,
    messages: counts.messages,
    parentId: session.parentId,
    sourceGoneAt: z
      .string()
      .nullable()
      .describe('When a sync first found that the agent no longer has the session (its exports are then all that is left), ISO-8601; null while the agent has it'),
    summary: z
      .string()
      .nullable()
      .describe("The agent's summary of the session on one line, cut to 200 characters; where it recorded none, the first thing the user asked, cut to 160; null when neither is there"),
    title: session.title,
    toolCalls: counts.toolCalls,
    tools: counts.tools,
    ownTools: counts.ownTools.unwrap().nullable().describe(nullBefore('0.12.0', counts.ownTools)),
    models: session.models.nullable().describe(nullBefore('0.12.0', session.models)),
    usage: session.usage.describe(`${session.usage.description}, and for exports made before sessionsync 0.12.0`),
    updatedAt: session.updatedAt,
    workspace: session.workspace.describe(`${session.workspace.description} (and for exports made before sessionsync 0.5.0)`),
  })
  .describe('One exported session')

export const IndexDocumentSchema = z
  .object({
    sessions: z
      .array(IndexEntrySchema)
      .describe('Every session ever exported into the folder, the sessions the agent no longer has included, the most recently active first'),
    schemaVersion: z
      .literal(INDEX_SCHEMA_VERSION)
      .describe(`The version of this file's layout: ${INDEX_SCHEMA_VERSION}; absent in files of sessionsync 0.12.0 and earlier, which are otherwise of version 1 but for the fields of entries they lack. Fields are added within a version; one removed or changed in meaning makes a new version`),
  })
  .meta({
    title: `sessionsync index, schemaVersion ${INDEX_SCHEMA_VERSION}`,
    description: "index.json in sessionsync's output folder: every session exported there, with the files it was exported to, for programs",
  })

export type IndexEntry = z.infer<typeof IndexEntrySchema>
export type IndexDocument = z.infer<typeof IndexDocumentSchema>
