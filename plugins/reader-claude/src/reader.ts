import type {Reader} from 'sessionsync'
import {discoverFiles, discoverSessions} from './discover.js'
import {inputs, projectRoots} from './locate.js'
import {readSession} from './read.js'
import {watchPaths} from './watch-paths.js'

export const claudeReader: Reader = {
  agent: 'claude',
  displayName: 'Claude Code',
  discover: discoverSessions,
  discoverFiles,
  inputs,
  locate: projectRoots,
  read: readSession,
  watchPaths,
}
