import {changedFiles} from './changed-files.js'
import {outputLimitEvent} from './events.js'
import {leftBranch} from './left-branch.js'
import {titleFromPrompt} from './one-line.js'
import {fileFingerprint} from './fingerprint.js'
import {branchAtExport} from './git.js'
import {describeIssues} from './issues.js'
import {readJsonLines} from './jsonl.js'
import {movedWorkspace} from './moved-workspace.js'
import {oncePerRun} from './once-per-run.js'
import {projectFoldersFor} from './project-folders.js'
import {readAhead} from './read-ahead.js'
import {remembered} from './remembered.js'
import {sharedLoad} from './shared-load.js'
import {statOrNull} from '../stat-or-null.js'
import {totalUsage} from './usage.js'

/**
 * Helpers the core hands to every reader through its context, so plugins (first- or
 * third-party) share one tested implementation without importing the core at run time.
 */
export const kit = {
  branchAtExport,
  changedFiles,
  describeIssues,
  fileFingerprint,
  leftBranch,
  movedWorkspace,
  oncePerRun,
  outputLimitEvent,
  projectFoldersFor,
  readAhead,
  readJsonLines,
  remembered,
  sharedLoad,
  statOrNull,
  titleFromPrompt,
  totalUsage,
}

export type Kit = typeof kit
