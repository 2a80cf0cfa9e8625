import {createRequire} from 'node:module'
import {z} from 'zod'
import type {SessionCounts} from '../model/counts.js'
import {exportOf, headOfExport} from '../model/export-document.js'
import type {Session} from '../model/session.js'
import {documentHead, foundAtStart} from './document-head.js'
import {countsOf, factsOf} from './facts.js'
import {jsonDocumentForFacts} from './json-facts.js'
import {readJsonDocument} from './json-document.js'
import {NOT_SIMPLE, simpleYaml} from './simple-yaml.js'
import {readToonDocument} from './toon-document.js'
import {toonDocumentForFacts} from './toon-facts.js'
import type {SessionFacts} from './state.js'

/** What an export says of its session: the facts the index shows, and the source it was read from. */
export interface ExportFacts {
  facts: SessionFacts
  source: string | null
}

/** The formats sessionsync writes, by the extension of their files: those it can read facts back from. */
export const FORMAT_OF_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['json', 'json'],
  ['md', 'markdown'],
  ['toon', 'toon'],
])

// Loaded on first need: only a sync that finds exports its state does not name reads any back.
const require = createRequire(import.meta.url)

/**
 * The facts of a session from its export of `format`, or null when the file is not one of
 * sessionsync's exports (a user's file, another version's document, a file cut short).
 */
export function readExportFacts(format: string, file: string): ExportFacts | null {
  const found = format === 'markdown' ? markdownFacts(file) : documentFacts(format, file)
  // A copy: strings cut from the text they were read in would keep all of it alive in the state,
  // 16 KB of each Markdown export and each TOON export whole (35 MB for 2,000 Markdown exports).
  return found && structuredClone(found)
}

/**
 * A JSON or TOON export holds the session whole, whose facts are taken as a sync takes them. Since
 * version 5 its head has them all, its counts too, as a Markdown export's front matter has; the
 * first prompt, which only its messages hold, is then not read, as it is not from Markdown.
 */
function documentFacts(format: string, file: string): ExportFacts | null {
  const found = headOfExport(documentHead(format, file)) ?? wholeDocument(format, file)
  return found && {facts: factsOf(found.session, found.counts ?? countsOf(found.session)), source: found.session.source.path}
}

/**
 * A document whose head was not found at its start, read to its end: one written before version 5
 * (whose counts are then those of what it kept: none of the calls an export without its tools
 * left out), or one whose metadata is longer than the reads of its start.
 */
function wholeDocument(format: string, file: string): {counts: SessionCounts | null; session: Session} | null {
  const read = DOCUMENTS_FOR_FACTS.get(format)
  return read ? exportOf(() => read(file)) : null
}

/** How the export document of each format that holds one is read from its file, whole. */
export const DOCUMENT_READERS = new Map<string, (file: string) => unknown>([
  ['json', (file) => readJsonDocument(file)],
  ['toon', (file) => readToonDocument(file)],
])

/** How it is read for its facts: without the texts no fact comes from. */
const DOCUMENTS_FOR_FACTS = new Map<string, (file: string) => unknown>([
  ['json', jsonDocumentForFacts],
  ['toon', toonDocumentForFacts],
])

/** A Markdown export's front matter, which comes first and holds every fact. */
const FRONT_MATTER = /^---\r?\n([^]*?)\r?\n---\r?\n/

/** The front matter the Markdown writer puts first, by its YAML names; what it leaves out is null. */
const FrontMatterSchema = z.object({
  agent: z.string().min(1),
  id: z.string().min(1),
  title: z.string().default(''),
  summary: z.string().nullable().default(null),
  workspace: z.string().nullable().default(null),
  branch: z.string().nullable().default(null),
  created: z.string().nullable().default(null),
  updated: z.string().nullable().default(null),
  models: z.array(z.string()).default([]),
  messages: z.number().default(0),
  tool_calls: z.number().default(0),
  tools: z.record(z.string(), z.number()).default({}),
  // Absent before 0.15.0, when a fork's own calls were not written.
  own_tools: z.record(z.string(), z.number()).optional(),
  tokens: z.object({input: z.number(), output: z.number(), cache_read: z.number(), cache_write: z.number(), reasoning: z.number()}).nullable().default(null),
  cost_usd: z.number().nullable().default(null),
  parent: z.string().nullable().default(null),
  forked_from: z.string().nullable().default(null),
  copied_messages: z.number().nullable().default(null),
  files_changed: z.array(z.string()).default([]),
  source: z.string().nullable().default(null),
})

function markdownFacts(file: string): ExportFacts | null {
  const block = foundAtStart(file, (start) => FRONT_MATTER.exec(start)?.[1])
  return block === undefined ? null : frontMatterFacts(block)
}

function frontMatterFacts(block: string): ExportFacts | null {
  let parsed
  try {
    const simple = simpleYaml(block)
    parsed = FrontMatterSchema.safeParse(simple === NOT_SIMPLE ? (require('yaml') as typeof import('yaml')).parse(block) : simple)
  } catch {
    return null
  }

  if (!parsed.success) return null
  const matter = parsed.data
  return {
    facts: {
      agent: matter.agent,
      branch: matter.branch,
      copiedMessages: matter.copied_messages,
      createdAt: matter.created,
      filesChanged: matter.files_changed,
      // Not in the front matter: the index shows the title alone, as it does when the title says it all.
      firstPrompt: null,
      forkedFrom: matter.forked_from,
      id: matter.id,
      messages: matter.messages,
      models: matter.models,
      // Any session's but a fork's are all its calls.
      ownTools: matter.forked_from === null ? matter.tools : (matter.own_tools ?? (matter.tool_calls === 0 ? {} : undefined)),
      parentId: matter.parent,
      summary: matter.summary,
      title: matter.title,
      toolCalls: matter.tool_calls,
      tools: matter.tools,
      updatedAt: matter.updated,
      usage: matter.tokens && {cacheReadTokens: matter.tokens.cache_read, cacheWriteTokens: matter.tokens.cache_write, costUsd: matter.cost_usd, inputTokens: matter.tokens.input, outputTokens: matter.tokens.output, reasoningTokens: matter.tokens.reasoning},
      workspace: matter.workspace,
    },
    source: matter.source,
  }
}
