import {z} from 'zod'

export const ExportStatusSchema = z
  .enum(['missing', 'stale', 'up to date'])
  .describe('How the export compares with the session: missing (never exported, or the file is gone), stale (the session or the options changed since), up to date')

export type ExportStatus = z.infer<typeof ExportStatusSchema>
