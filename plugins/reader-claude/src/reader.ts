import type {Reader} from 'sessionsync'
import {discoverSessions} from './discover.js'
import {inputs, projectRoots} from './locate.js'
import {readSession} from './read.js'

export const claudeReader: Reader = {
  agent: 'claude',
  displayName: 'Claude Code',
  discover: discoverSessions,
  inputs,
  locate: projectRoots,
  read: readSession,
  // Sessions are files under the project folders: watching the roots sees every append.
  watchPaths: (roots) => roots,
}
