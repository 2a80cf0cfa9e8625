import {z} from 'zod'

/**
 * What discovery knows about a session without reading it whole: enough to filter,
 * to name the export and to tell whether it changed since the last export.
 */
export const SessionRefSchema = z.object({
  agent: z.string().min(1),
  id: z.string().min(1),
  title: z.string().nullable(),
  workspace: z.string().nullable(),
  /** Branches seen so far (first records for streamed files); `--branch` matches any of them. */
  gitBranches: z.array(z.string()),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** Set on subagent sessions: the parent session's id. */
  parentId: z.string().nullable(),
  /** The file or database the session lives in. */
  sourcePath: z.string(),
  sizeBytes: z.number().nonnegative(),
  /** Changes whenever the session's content changes (e.g. size + mtime, or a row's update time). */
  fingerprint: z.string(),
  /**
   * When the agent itself will delete the session (e.g. Claude Code's cleanupPeriodDays), if
   * it does that: `list` and `sync` warn about sessions that will vanish before being exported.
   */
  expiresAt: z.string().nullable().optional(),
  /** Reader-private data needed to read the session again; opaque to the core. */
  locator: z.unknown().optional(),
})

export type SessionRef = z.infer<typeof SessionRefSchema>
