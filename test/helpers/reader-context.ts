import type {ReaderContext} from '../../src/plugin-api.js'
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
    options: {},
    warn: (message) => warnings.push(message),
    warnings,
    ...overrides,
  }
}
