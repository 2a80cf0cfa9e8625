/**
 * The two contracts a sessionsync plugin implements. A plugin is an ordinary oclif plugin
 * that handles the `sessionsync:register` hook event and returns the readers and writers
 * it contributes. Plugins import only types from here: everything they need at run time
 * (helpers, logging) comes in through the context objects.
 */
import type {Kit} from './kit/index.js'
import type {SessionRef} from './model/ref.js'
import type {SessionCounts} from './model/counts.js'
import type {ExportDocument, Shaping} from './model/export-document.js'
import type {AttachmentBlock, Session, SessionInput} from './model/session.js'

export type {Kit} from './kit/index.js'
export type {SessionRef} from './model/ref.js'
export type * from './model/session.js'
export type * from './model/export-document.js'

export const REGISTER_EVENT = 'sessionsync:register'

export interface ReaderContext {
  /** The environment to honour (HOME, the agents' own data-folder variables). */
  env: NodeJS.ProcessEnv
  /** The user's home folder, from `env`. */
  home: string
  /** Hints a reader may use to discover less; the core filters again either way. */
  hints: {
    workspace: string | null
    /**
     * `--branch`: a reader that sees only part of a session at discovery (head and tail of a
     * file) may look for this branch in the rest, so a branch used mid-session still counts.
     */
    branch: string | null
  }
  /** Reader options the user set (e.g. `allBranches`). */
  options: Record<string, unknown>
  /** Something was skipped or could not be read: shown to the user, counted as a failure. */
  warn(message: string): void
  /** Detail for `--verbose` only (unknown record types, ignored lines). */
  debug(message: string): void
  kit: Kit
  /**
   * Remembers what discovery learned about a source at a given fingerprint (say, a file's
   * first records at its size and mtime), across runs: a re-run then opens only what changed.
   */
  memo: DiscoveryMemo
}

export interface DiscoveryMemo {
  /** The value stored for `key` at this fingerprint; undefined when never stored or the source changed. */
  get(key: string, fingerprint: string): unknown
  /** Must be JSON-serializable. */
  set(key: string, fingerprint: string, value: unknown): void
}

export interface Reader {
  /** Value of `--agent`, e.g. `claude`. Lowercase letters, digits and dashes. */
  agent: string
  /** Shown to people, e.g. `Claude Code`. */
  displayName: string
  /**
   * The agent's data folders or databases that exist on this machine. None means the agent
   * is not installed: sync notes that in one line and moves on.
   */
  locate(ctx: ReaderContext): Promise<string[]>
  /** Lists sessions cheaply: no reader may parse whole sessions here. */
  discover(roots: string[], ctx: ReaderContext): AsyncIterable<SessionRef>
  /**
   * Optional, for `watch`: the sessions these files hold, each described as `discover` would.
   * Asked with the files an agent wrote, created or deleted under the roots, in place of
   * discovering everything again: on a history of thousands of sessions that is most of what an
   * export of one change costs. A file that holds no session (a log, a cache, one that is gone)
   * gives none, quietly. When a changed file no longer holds a session it held, or holds one
   * that another file holds, and when a folder appears or goes away, watch discovers everything
   * again, so that it never sees other sessions than a whole discovery would. A reader whose
   * sessions share one file (a database) gains nothing from this.
   */
  discoverFiles?(files: string[], roots: string[], ctx: ReaderContext): AsyncIterable<SessionRef>
  /** Reads one session whole into the model. */
  read(ref: SessionRef, ctx: ReaderContext): Promise<SessionInput>
  /**
   * Paths to watch for changes (files or folders), for `watch`; without it, the roots. Asked
   * again every few seconds: a path that appears is watched from then on, and discovery runs
   * again, since it may hold sessions written before.
   */
  watchPaths?(roots: string[], ctx: ReaderContext): string[]
  /**
   * Optional: every path whose change can change what `locate` and `discover` find, whether it
   * exists yet or not (so that an agent installed later counts). With it, a `sync` that leaves
   * every export up to date is remembered, and the same `sync` run again while none of these
   * paths (nor the output folder) changed answers at once, without loading oclif or any plugin.
   */
  inputs?(ctx: ReaderContext): Promise<ReaderInput[]>
}

/**
 * A file; a folder and everything in it, subfolders included; or (`{listing}`) only which names
 * a folder holds, for a folder whose other contents (logs, caches) do not matter.
 */
export type ReaderInput = string | {listing: string}

export interface RenderContext {
  /** Relative link from this export to another exported session (a subagent, a parent, a fork's original), if exported. */
  linkToSession(sessionId: string): string | null
  /**
   * The session as the export document (its messages and blocks as tables of like rows):
   * what structured formats write, so that JSON, TOON and any other carry the same document.
   */
  exportDocument(session: Session): ExportDocument
  /**
   * How many messages and tool calls (per tool, the most called first) the session holds as its
   * agent recorded it: `--no-tools` and the like shape what is exported, not these counts,
   * which metadata reports and the index keeps too.
   */
  counts: SessionCounts
  /**
   * What the export leaves out or changes (`--no-tools`, `--no-thinking`, `--no-attachments`,
   * `--max-output-chars`, `--redact`): a format should say so, as the export document does, or a
   * reader of the file takes what is missing for never having happened.
   */
  shaping: Shaping
  /**
   * What each tool call returned besides text (an image, a file), by call id, when the export
   * leaves attachments out (`--no-attachments`, `show`): a result is then no empty result. Empty
   * when attachments are kept.
   */
  attachmentsLeftOut: ReadonlyMap<string, ReadonlyArray<AttachmentBlock['kind']>>
}

export interface Writer {
  /** Value of `--format`, e.g. `markdown`. */
  format: string
  /** File extension without the dot, e.g. `md`. */
  extension: string
  displayName: string
  render(session: Session, ctx: RenderContext): string
  /**
   * Optional: the same content in pieces (say, one turn each). `sync` writes the pieces as they
   * come, so a session of hundreds of MB is never held as one string; they join to `render`'s.
   */
  renderPieces?(session: Session, ctx: RenderContext): Iterable<string>
}

/** What a plugin's `sessionsync:register` hook returns. */
export interface Contribution {
  readers?: Reader[]
  writers?: Writer[]
}
