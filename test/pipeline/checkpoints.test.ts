import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Checkpoints} from '../../src/pipeline/checkpoints.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {ExportState, type SessionFacts, STATE_FILE} from '../../src/pipeline/state.js'
import {tempDir} from '../helpers/cli.js'

const facts = (id: string): SessionFacts => ({
  agent: 'claude', branch: null, copiedMessages: null, createdAt: null, filesChanged: [], firstPrompt: null, forkedFrom: null, id, messages: 1, parentId: null,
  summary: null, title: id, toolCalls: 0, tools: {}, updatedAt: null, workspace: null,
})
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Waits until `done` holds (timers fire late on a loaded machine), for at most two seconds. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 2000; waited += 5) await pause(5)
}

const record = (id: string) => ({bytes: 1, exportedAt: '2026-12-01T00:00:00.000Z', file: `claude/${id}.md`, fingerprint: '1:1', host: null, optionsKey: 'k', source: `/s/${id}.jsonl`})

describe('checkpoints of a long export', () => {
  it('saves once the interval since the last save has passed, on a timer, without waiting for the next session', async () => {
    let saves = 0
    const checkpoints = new Checkpoints(async () => {
      saves++
    }, 40)
    const start = performance.now()
    checkpoints.tick()
    await until(() => saves > 0)
    expect(performance.now() - start, 'not before the interval').to.be.at.least(35)
    expect(saves, 'no second session needed').to.equal(1)
    await pause(100)
    expect(saves, 'nothing recorded since: nothing saved').to.equal(1)
  })

  it('once stopped, makes no save still to come, and waits for one under way', async () => {
    let started = 0
    let saves = 0
    const checkpoints = new Checkpoints(async () => {
      started++
      await pause(30)
      saves++
    }, 20)
    checkpoints.tick()
    await checkpoints.stop()
    await pause(80)
    expect(started, 'the save to come was not made').to.equal(0)
    checkpoints.tick()
    await until(() => started > 0)
    await checkpoints.stop()
    expect(saves, 'the save under way was waited for').to.equal(1)
  })

  it('runs one save at a time, and saves once more after it what was recorded meanwhile', async () => {
    let saves = 0
    let finish!: () => void
    const checkpoints = new Checkpoints(
      () =>
        new Promise<void>((resolve) => {
          saves++
          finish = resolve
        }),
      0,
    )
    checkpoints.tick()
    await until(() => saves > 0)
    checkpoints.tick()
    checkpoints.tick()
    await pause(0)
    expect(saves, 'none started beside the first').to.equal(1)
    finish()
    await until(() => saves > 1)
    await pause(100)
    expect(saves, 'one for both sessions recorded during the first').to.equal(2)
  })

  it('waits longer after a slow save, so that saving stays a small part of the run', async () => {
    let saves = 0
    const checkpoints = new Checkpoints(async () => {
      saves++
      await pause(30)
    }, 0)
    checkpoints.tick()
    await until(() => saves > 0)
    await pause(40)
    checkpoints.tick()
    await pause(100)
    expect(saves, 'the next save waits 20 times the 30 ms the last one took').to.equal(1)
  })

  it('saves at once when asked, in place of a save waiting for its time, and throws what fails; a save on the timer that fails is left to the next', async () => {
    let fail = true
    let saves = 0
    const checkpoints = new Checkpoints(async () => {
      saves++
      if (fail) throw new Error('the disk is full')
    }, 0)
    checkpoints.tick()
    await until(() => saves > 0)
    await pause(0)
    expect(saves, 'failed quietly').to.equal(1)
    let thrown: unknown
    await checkpoints.now().catch((error) => (thrown = error))
    expect((thrown as Error).message).to.equal('the disk is full')
    fail = false
    checkpoints.tick()
    await checkpoints.now()
    await pause(10)
    expect(saves, 'the save on the timer gave way to the one asked for').to.equal(3)
  })

  it('takes the place of the save a timer save would schedule, when asked for while that one runs', async () => {
    let saves = 0
    let finish!: () => void
    const firstBlocks = new Promise<void>((resolve) => {
      finish = resolve
    })
    const checkpoints = new Checkpoints(async () => {
      if (++saves === 1) await firstBlocks
    }, 0)
    checkpoints.tick()
    await until(() => saves > 0)
    checkpoints.tick()
    const asked = checkpoints.now()
    finish()
    await asked
    await pause(100)
    expect(saves, 'the timer save, then the one asked for, and no other').to.equal(2)
  })

  it('keeps a session recorded while the state is being written for the next save', async () => {
    const root = tempDir()
    const state = await ExportState.load(new OutputFolder(root))
    // Records a session in the middle of the save, as an export going on beside a checkpoint does.
    const output = new (class extends OutputFolder {
      override async write(relative: string, content: string | Uint8Array | Iterable<string>): Promise<number> {
        state.set('claude/late', 'markdown', facts('late'), record('late'))
        return super.write(relative, content)
      }
    })(root)
    state.set('claude/early', 'markdown', facts('early'), record('early'))
    await state.save(output)
    const saved = () => Object.keys(JSON.parse(readFileSync(path.join(root, STATE_FILE), 'utf8')).sessions)
    expect(saved()).to.deep.equal(['claude/early'])
    expect(state.unsaved, 'the late session is still to be saved').to.equal(true)
    await state.save(new OutputFolder(root))
    expect(saved().sort()).to.deep.equal(['claude/early', 'claude/late'])
  })
})
