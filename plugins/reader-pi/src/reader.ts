import type {Reader} from 'sessionsync'
import {discoverFiles, discoverSessions} from './discover.js'
import {loadSessionFile} from './load.js'
import {inputs, sessionFolders} from './locate.js'
import {buildSession, isBranchChoice} from './session.js'
import {watchPaths} from './watch-paths.js'

export const piReader: Reader = {
  agent: 'pi',
  displayName: 'Pi',
  locate: sessionFolders,
  discover: discoverSessions,
  discoverFiles,
  inputs,
  async read(ref, ctx) {
    // With --all-branches, the branches a session left follow it, each a session read from its file.
    const piFile = await ctx.kit.sharedLoad(ctx, ref.sourcePath, () => loadSessionFile(ref.sourcePath, ctx), ctx.options.allBranches === true)
    if (!piFile) throw new Error(`${ref.sourcePath}: not a Pi session file`)
    return buildSession(ref.sourcePath, piFile, isBranchChoice(ref.locator) ? ref.locator : null, ctx)
  },
  watchPaths,
}
