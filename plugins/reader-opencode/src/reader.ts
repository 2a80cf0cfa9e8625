import type {Reader} from 'sessionsync'
import {discoverSessions, sourceOf} from './discover.js'
import {inputs, locateRoots, watchPaths} from './locate.js'
import {buildSession, copiedPart} from './session.js'

export const opencodeReader: Reader = {
  agent: 'opencode',
  displayName: 'OpenCode',
  locate: locateRoots,
  discover: discoverSessions,
  inputs,
  async read(ref, ctx) {
    const source = sourceOf(ref)
    const stored = await source.load(ctx)
    const parentId = stored.info.parentId
    const copied = copiedPart(stored)
    return buildSession(stored, ref.sourcePath, {
      copied: copied?.messages ?? null,
      forkedFrom: stored.info.forkedFrom ?? (copied?.facts ? await source.forkOrigin(copied.facts, ctx) : null),
      parentToolCallId: parentId ? await source.spawningCall(parentId, ctx) : null,
    }, ctx)
  },
  watchPaths,
}
