import type {DiscoveryMemo, ReaderContext} from '../../src/plugin-api.js'
import {kit} from '../../src/kit/index.js'

export interface RecordingContext extends ReaderContext {
  warnings: string[]
  debugs: string[]
}

/** A reader context for tests: HOME and the environment are what the test says, messages are kept. */
export function readerContext(env: NodeJS.ProcessEnv, overrides: Partial<ReaderContext> = {}): RecordingContext {
  const warnings: string[] = []
  const debugs: string[] = []
  return {
    debug: (message) => debugs.push(message),
    debugs,
    env,
    hints: {branch: null, workspace: null},
    home: env.HOME ?? '/nonexistent',
    kit,
    memo: memoryMemo(),
    options: {},
    warn: (message) => warnings.push(message),
    warnings,
    ...overrides,
  }
}

/** A discovery memo kept in memory, for one test. */
export function memoryMemo(): DiscoveryMemo {
  const entries = new Map<string, {fingerprint: string; value: unknown}>()
  return {
    get: (key, fingerprint) => (entries.get(key)?.fingerprint === fingerprint ? entries.get(key)!.value : undefined),
    set: (key, fingerprint, value) => entries.set(key, {fingerprint, value}),
  }
}
