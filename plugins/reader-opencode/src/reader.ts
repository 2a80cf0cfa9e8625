import type {Reader} from 'sessionsync'
import {loadDatabaseSession, spawningCallInDatabase} from './db-source.js'
import {discoverSessions, isLocator} from './discover.js'
import {locateRoots, watchPaths} from './locate.js'
import {buildSession} from './session.js'
import type {StoredSession} from './stored.js'
import {loadStorageSession, spawningCallInStorage} from './storage-source.js'

export const opencodeReader: Reader = {
  agent: 'opencode',
  displayName: 'OpenCode',
  locate: locateRoots,
  discover: discoverSessions,
  async read(ref, ctx) {
    const locator = isLocator(ref.locator) ? ref.locator : {database: ref.sourcePath}
    const fromDatabase = 'database' in locator
    const stored: StoredSession = fromDatabase ? await loadDatabaseSession(locator.database, ref.id, ctx) : await loadStorageSession(ref.sourcePath, ctx)
    const parentId = stored.info.parentId
    let spawningCall: string | null = null
    if (parentId) {
      spawningCall = fromDatabase
        ? await spawningCallInDatabase(locator.database, parentId, ref.id, ctx)
        : await spawningCallInStorage(locator.storage, parentId, ref.id, ctx)
    }

    return buildSession(stored, ref.sourcePath, spawningCall, ctx)
  },
  watchPaths,
}
