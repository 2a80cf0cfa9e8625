import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import type {Session} from '../../src/model/session.js'
import {fixtureSession, runCli, sandbox, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('an output folder two machines share through git', function () {
  this.timeout(120_000)

  it('keeps every session of both sides in the state and both indexes once sessionsync runs on the merge conflicts', async () => {
    const {env, root} = await sandbox()
    const gitEnv = {GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_AUTHOR_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', PATH: process.env.PATH}
    const git = (cwd: string, ...args: string[]) => spawnSync('git', args, {cwd, encoding: 'utf8', env: gitEnv})
    const origin = path.join(root, 'origin.git')
    expect(git(root, 'init', '-q', '--bare', '-b', 'main', origin).status).to.equal(0)
    /** A teammate's machine: a clone of the project and an agent of their own, whose sessions are all in the clone. */
    const machine = (name: string) => {
      const checkout = path.join(root, name)
      expect(git(root, 'clone', '-q', origin, checkout).status).to.equal(0)
      const own = {...env, EXAMPLE_AGENT_HOME: path.join(root, `${name}-agent`), SESSIONSYNC_CACHE_DIR: path.join(root, `${name}-cache`)}
      const sessions: Session[] = []
      return {
        checkout,
        /** The teammate's agent records a session, they run sessionsync and commit the exports. */
        async syncAndCommit(id: string, day: number): Promise<void> {
          sessions.push({...fixtureSession('rich'), createdAt: `2026-11-${day}T09:00:00.000Z`, id, title: `Session ${id.slice(0, 2)} of ${name}`, updatedAt: `2026-11-${day}T10:00:00.000Z`})
          writeExampleSessions(own, sessions, checkout)
          const synced = await runCli([], own, checkout)
          expect(synced.code, synced.stderr).to.equal(0)
          expect(git(checkout, 'add', '.sessions').status).to.equal(0)
          expect(git(checkout, 'commit', '-qm', `${name}'s sessions`).status).to.equal(0)
        },
      }
    }

    const alice = machine('alice')
    await alice.syncAndCommit('1a000000-0000-4000-8000-000000000001', 10)
    await alice.syncAndCommit('2a000000-0000-4000-8000-000000000002', 11)
    expect(git(alice.checkout, 'push', '-q', 'origin', 'main').status).to.equal(0)
    const bob = machine('bob')
    await bob.syncAndCommit('3b000000-0000-4000-8000-000000000003', 12)
    await bob.syncAndCommit('4b000000-0000-4000-8000-000000000004', 13)
    // Both sync again on their own: the sessions each adds are neighbours in the state file.
    await alice.syncAndCommit('5a000000-0000-4000-8000-000000000005', 14)
    expect(git(alice.checkout, 'push', '-q', 'origin', 'main').status).to.equal(0)
    await bob.syncAndCommit('5b000000-0000-4000-8000-000000000006', 15)
    const merge = git(bob.checkout, 'pull', '-q', '--no-rebase', 'origin', 'main')
    expect(merge.status, 'the merge conflicts').to.equal(1)
    const conflicted = git(bob.checkout, 'diff', '--name-only', '--diff-filter=U').stdout.split('\n')
    expect(conflicted).to.include.members(['.sessions/.sessionsync/state.json', '.sessions/INDEX.md'])

    const again = await runCli([], {...env, EXAMPLE_AGENT_HOME: path.join(root, 'bob-agent'), SESSIONSYNC_CACHE_DIR: path.join(root, 'bob-cache')}, bob.checkout)
    expect(again.code, again.stderr).to.equal(0)
    expect(unwrap(again.stderr)).to.contain('had merge conflicts: the sessions of both sides are kept')
    const folder = path.join(bob.checkout, '.sessions')
    const titles = ['1a of alice', '2a of alice', '3b of bob', '4b of bob', '5a of alice', '5b of bob'].map((part) => `Session ${part}`)
    const state = JSON.parse(readFileSync(path.join(folder, '.sessionsync/state.json'), 'utf8'))
    expect(Object.values(state.sessions).map((session) => (session as {facts: {title: string}}).facts.title).sort()).to.deep.equal(titles)
    const json = JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8'))
    expect(json.sessions.map((session: {title: string}) => session.title)).to.deep.equal([...titles].reverse())
    const markdown = readFileSync(path.join(folder, 'INDEX.md'), 'utf8')
    expect(markdown).to.contain('6 exported sessions')
    for (const title of titles) expect(markdown).to.contain(`[${title}]`)
    for (const file of readdirSync(folder, {recursive: true, withFileTypes: true}).filter((entry) => entry.isFile())) {
      expect(readFileSync(path.join(file.parentPath, file.name), 'utf8'), file.name).to.not.match(/^(<{7}|={7}$|>{7})/m)
    }

    expect(git(bob.checkout, 'add', '.sessions').status).to.equal(0)
    expect(git(bob.checkout, 'commit', '-qm', 'merge').status, 'nothing left unmerged').to.equal(0)
  })
})
