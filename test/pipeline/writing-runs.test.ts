import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {HOST_TAG} from '../../src/pipeline/runs.js'
import {markWriting, otherRuns, WRITING_FOLDER} from '../../src/pipeline/writing-runs.js'
import {tempDir} from '../helpers/cli.js'
import {KILLED_RUN, leaveWritingMark} from '../helpers/writing-mark.js'

describe('runs writing into an output folder', () => {
  const underway = {agent: 'claude', bytes: 300_000_000, id: 'large', source: '/home/dev/.claude/projects/-home-dev-app/large.jsonl'}
  /** The agents a run reads: Claude Code's alone. */
  const CLAUDE = new Set(['claude'])
  /** An output folder with the mark of another run, as that run would write it. */
  const markedBy = (holder: {host: string; pid: number; run: string}, more: object = {}) => {
    const root = tempDir()
    leaveWritingMark(root, holder, more)
    return new OutputFolder(root)
  }

  it("names this run while it writes, leaves no folder behind, and does not count this run's own mark", async () => {
    const output = new OutputFolder(tempDir())
    const mark = await markWriting(output)
    expect(readdirSync(path.join(output.root, WRITING_FOLDER))).to.have.length(1)
    expect(await otherRuns(output, CLAUDE)).to.deep.equal({ended: 0, endedIn: [], writing: false})
    await mark.release()
    expect(existsSync(path.join(output.root, WRITING_FOLDER))).to.equal(false)
  })

  it('counts a run of this machine that is still going', async () => {
    // The parent process (npx, mocha's runner) is running for sure.
    expect(await otherRuns(markedBy({host: HOST_TAG, pid: process.ppid, run: 'another-run'}, {unfinished: [underway]}), CLAUDE)).to.deep.equal({ended: 0, endedIn: [], writing: true})
  })

  it('removes the mark of a run of this machine that was killed, and does not count it', async () => {
    const output = markedBy(KILLED_RUN)
    expect(await otherRuns(output, CLAUDE)).to.deep.equal({ended: 1, endedIn: [], writing: false})
    expect(readdirSync(path.join(output.root, WRITING_FOLDER))).to.deep.equal([])
  })

  it('returns the sessions a killed run had not finished, once, and no malformed name', async () => {
    const output = markedBy(KILLED_RUN, {unfinished: [underway]})
    expect(await otherRuns(output, CLAUDE)).to.deep.equal({ended: 1, endedIn: [underway], writing: false})
    expect(await otherRuns(output, CLAUDE)).to.deep.equal({ended: 0, endedIn: [], writing: false})
    const malformed = markedBy(KILLED_RUN, {unfinished: [{id: 'no agent'}]})
    expect(await otherRuns(malformed, CLAUDE)).to.deep.equal({ended: 1, endedIn: [], writing: false})
  })

  it("leaves a killed run's sessions of other agents named, for a run that reads them", async () => {
    const ofPi = {agent: 'pi', bytes: 90_000_000, id: 'large-pi', source: '/home/dev/.pi/agent/sessions/--home-dev-app--/large-pi.jsonl'}
    const output = markedBy(KILLED_RUN, {unfinished: [underway, ofPi]})
    expect(await otherRuns(output, new Set(['pi']))).to.deep.equal({ended: 1, endedIn: [ofPi], writing: false})
    // Written again only when a name is taken from it (a write replaces the file, and its inode).
    const [mark] = readdirSync(path.join(output.root, WRITING_FOLDER)).map((name) => path.join(output.root, WRITING_FOLDER, name))
    const inode = statSync(mark).ino
    expect(await otherRuns(output, new Set(['opencode']))).to.deep.equal({ended: 1, endedIn: [], writing: false})
    expect(statSync(mark).ino, 'a mark nothing was taken from').to.equal(inode)
    expect(await otherRuns(output, new Set(['claude', 'pi']))).to.deep.equal({ended: 1, endedIn: [underway], writing: false})
    expect(readdirSync(path.join(output.root, WRITING_FOLDER))).to.deep.equal([])
  })

  it('names the sessions it took over and the one it exports, each until it is exported', async () => {
    const output = new OutputFolder(tempDir())
    const takenOver = {...underway, id: 'taken-over'}
    const mark = await markWriting(output, [takenOver])
    const named = () => {
      const [file] = readdirSync(path.join(output.root, WRITING_FOLDER))
      return JSON.parse(readFileSync(path.join(output.root, WRITING_FOLDER, file), 'utf8')).unfinished
    }

    expect(named()).to.deep.equal([takenOver])
    await mark.exporting(underway)
    expect(named()).to.deep.equal([takenOver, underway])
    await mark.exported(takenOver)
    expect(named()).to.deep.equal([underway])
    await mark.exported(underway)
    expect(named()).to.equal(undefined)
    await mark.release()
  })

  it("leaves another machine's mark alone (git may have brought it) and does not count it", async () => {
    const output = markedBy({host: 'aaaaaaaa', pid: process.ppid, run: 'their-run'})
    expect(await otherRuns(output, CLAUDE)).to.deep.equal({ended: 0, endedIn: [], writing: false})
    expect(readdirSync(path.join(output.root, WRITING_FOLDER))).to.have.length(1)
  })
})
