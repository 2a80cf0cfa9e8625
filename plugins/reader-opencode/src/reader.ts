import type {Reader} from 'sessionsync'
import {databaseSource} from './db-source.js'
import {discoverSessions, inStorage} from './discover.js'
import {inputs, locateRoots, watchPaths} from './locate.js'
import {buildSession} from './session.js'
import {storageSource} from './storage-source.js'

export const opencodeReader: Reader = {
  agent: 'opencode',
  displayName: 'OpenCode',
  locate: locateRoots,
  discover: discoverSessions,
  inputs,
  async read(ref, ctx) {
    const source = inStorage(ref.locator) ? storageSource(ref.sourcePath, ref.id) : databaseSource(ref.sourcePath, ref.id)
    const stored = await source.load(ctx)
    const parentId = stored.info.parentId
    return buildSession(stored, ref.sourcePath, parentId ? await source.spawningCall(parentId, ctx) : null, ctx)
  },
  watchPaths,
}
