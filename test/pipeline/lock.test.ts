import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import path from 'node:path'
import {withLock} from '../../src/pipeline/lock.js'
import {HOST_TAG} from '../../src/pipeline/runs.js'
import {tempDir} from '../helpers/cli.js'

const untold = (message: string) => expect.fail(`told: ${message}`)

describe('the lock runs share while merging their records', () => {
  it('runs the task while holding the lock, names this process in it, and lets go of it after', async () => {
    const lock = path.join(tempDir(), 'state.lock')
    const holder = await withLock(lock, async () => JSON.parse(readFileSync(lock, 'utf8')), untold)
    expect(holder).to.include({host: HOST_TAG, pid: process.pid})
    expect(existsSync(lock)).to.equal(false)
  })

  it('takes over at once a lock whose holder, a process of this machine, is gone', async () => {
    const lock = path.join(tempDir(), 'state.lock')
    const {pid} = spawnSync(process.execPath, ['-e', ''])
    writeFileSync(lock, JSON.stringify({host: HOST_TAG, pid, run: '0badc0de'}))
    const started = Date.now()
    expect(await withLock(lock, async () => 'done', untold)).to.equal('done')
    expect(Date.now() - started).to.be.below(1000)
  })

  for (const [whose, holder, named] of [
    ['a running process of this machine', {host: HOST_TAG, pid: process.ppid, run: '0badc0de'}, `sessionsync process ${process.ppid} to finish`],
    ['a process of another machine, gone or not', {host: 'ffffffff', pid: 999_999_999, run: '0badc0de'}, 'sessionsync process 999999999 of another machine'],
  ] as const) {
    it(`waits for the lock of ${whose}, and says once whom it waits for`, async () => {
      const lock = path.join(tempDir(), 'state.lock')
      writeFileSync(lock, JSON.stringify(holder))
      const told: string[] = []
      const letGo = (message: string) => {
        told.push(message)
        rmSync(lock)
      }

      expect(await withLock(lock, async () => 'done', letGo)).to.equal('done')
      expect(told).to.have.length(1)
      expect(told[0]).to.contain(named).and.contain(lock)
    })
  }

  it('takes over a lock held so long that its holder must have died (an older sessionsync, which named none)', async () => {
    const lock = path.join(tempDir(), 'state.lock')
    mkdirSync(lock)
    const longAgo = new Date(Date.now() - 60_000)
    utimesSync(lock, longAgo, longAgo)
    expect(await withLock(lock, async () => 'done', untold)).to.equal('done')
  })

  it('ends without an error when another process took its lock over meanwhile (it held it so long it looked dead)', async () => {
    const lock = path.join(tempDir(), 'state.lock')
    const result = await withLock(lock, async () => {
      await rm(lock, {recursive: true})
      return 'kept'
    }, untold)
    expect(result).to.equal('kept')
  })
})
