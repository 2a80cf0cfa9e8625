import {expect} from 'chai'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {HOST_TAG} from '../../src/pipeline/runs.js'
import {markWriting, othersWriting, WRITING_FOLDER} from '../../src/pipeline/writing-runs.js'
import {tempDir} from '../helpers/cli.js'

describe('runs writing into an output folder', () => {
  /** An output folder with the mark of another run, as that run would write it. */
  const markedBy = (holder: {host: string; pid: number; run: string}) => {
    const root = tempDir()
    mkdirSync(path.join(root, WRITING_FOLDER), {recursive: true})
    writeFileSync(path.join(root, WRITING_FOLDER, `${holder.pid}-${holder.host}-${holder.run}.json`), JSON.stringify(holder))
    return new OutputFolder(root)
  }

  it("names this run while it writes, leaves no folder behind, and does not count this run's own mark", async () => {
    const output = new OutputFolder(tempDir())
    const mark = await markWriting(output)
    expect(readdirSync(path.join(output.root, WRITING_FOLDER))).to.have.length(1)
    expect(await othersWriting(output)).to.equal(false)
    await mark.release()
    expect(existsSync(path.join(output.root, WRITING_FOLDER))).to.equal(false)
  })

  it('counts a run of this machine that is still going', async () => {
    // The parent process (npx, mocha's runner) is running for sure.
    expect(await othersWriting(markedBy({host: HOST_TAG, pid: process.ppid, run: 'another-run'}))).to.equal(true)
  })

  it('removes the mark of a run of this machine that was killed, and does not count it', async () => {
    const output = markedBy({host: HOST_TAG, pid: 2 ** 22 + 1, run: 'killed-run'})
    expect(await othersWriting(output)).to.equal(false)
    expect(readdirSync(path.join(output.root, WRITING_FOLDER))).to.deep.equal([])
  })

  it("leaves another machine's mark alone (git may have brought it) and does not count it", async () => {
    const output = markedBy({host: 'aaaaaaaa', pid: process.ppid, run: 'their-run'})
    expect(await othersWriting(output)).to.equal(false)
    expect(readdirSync(path.join(output.root, WRITING_FOLDER))).to.have.length(1)
  })
})
