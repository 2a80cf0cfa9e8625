/**
 * sessionsync on the newest Node.js: the project, as it is in this work tree, is installed the
 * way the README says (`npm ci`, better-sqlite3 built for that Node) and its whole unit suite
 * runs there. CI runs everything else on the machine's own Node (20). Run with `npm run test:agents`.
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {AGENTS_DIR} from './agents.js'
import {newestNodeHome, newestNodeVersion} from './newest-node.js'

const REPOSITORY = path.resolve(AGENTS_DIR, '../..')
/** A native build, a build and the unit suite, on a loaded two-core machine. */
const TIMEOUT_MS = 25 * 60_000

describe('sessionsync on the newest Node.js', function () {
  this.timeout(TIMEOUT_MS + 60_000)
  let copy = ''
  // As the agents' runs: kept with KEEP_AGENT_RUNS, saying where.
  afterEach(() => {
    if (copy && !process.env.KEEP_AGENT_RUNS) rmSync(copy, {recursive: true, force: true})
    else if (copy) console.log(`  the copy it installed and tested kept in ${copy}`)
  })

  it('installs from a clean copy and passes the whole unit suite', function () {
    const node = newestNodeVersion()
    if ('unavailable' in node) {
      console.log(`  skipping: ${node.unavailable}`)
      this.skip()
    }

    console.log(`  Node.js ${node.version}`)

    copy = mkdtempSync(path.join(tmpdir(), 'sessionsync-newest-node-'))
    copyWorkTree(REPOSITORY, copy)
    const log = path.join(copy, 'newest-node.log')
    // npm and every script it starts find this Node first; node-gyp builds against its headers,
    // which the package carries, rather than downloading them.
    const env = {...process.env, PATH: [path.join(newestNodeHome, 'bin'), process.env.PATH].join(path.delimiter), npm_config_nodedir: newestNodeHome}
    const output = openSync(log, 'w')
    const run = spawnSync('sh', ['-c', 'node --version && npm ci --prefer-offline --no-audit --no-fund && npm run test:unit'], {cwd: copy, env, stdio: ['ignore', output, output], timeout: TIMEOUT_MS})
    const printed = readFileSync(log, 'utf8')
    const tail = printed.split('\n').slice(-60).join('\n')
    expect(run.error, tail).to.equal(undefined)
    expect(printed.split('\n')[0], 'the Node.js it ran on').to.equal(node.version)
    expect(run.status, tail).to.equal(0)
    expect(printed, 'the unit suite ran').to.match(/\n\s+\d+ passing/)
    expect(printed).not.to.match(/\n\s+\d+ failing/)
  })
})

/** The project's files as they are in the work tree, changes not yet committed included. */
function copyWorkTree(from: string, to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: from, encoding: 'utf8'})
  expect(listed.status, listed.stderr).to.equal(0)
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    // A file deleted but not yet committed is listed, and gone.
    if (!existsSync(path.join(from, file))) continue
    mkdirSync(path.dirname(path.join(to, file)), {recursive: true})
    copyFileSync(path.join(from, file), path.join(to, file))
  }
}
