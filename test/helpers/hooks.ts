import {removeTempDirs} from './cli.js'

/** Root hooks: every temporary folder the tests made is removed at the end of the run. */
export const mochaHooks = {
  afterAll() {
    removeTempDirs()
  },
}
