import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {tempDir} from '../helpers/cli.js'

describe('output folder: writing pieces', () => {
  async function written(pieces: string[]): Promise<Buffer> {
    const folder = tempDir()
    await new OutputFolder(folder).write('session.md', pieces)
    return readFileSync(path.join(folder, 'session.md'))
  }

  it('writes the same bytes as the joined text, across many buffers and characters of every width', async () => {
    // 2.5 MB of 1- to 4-byte characters, so characters straddle the edges of the write buffer.
    const pieces = Array.from({length: 5000}, (_, index) => `${index} aé日😀 `.repeat(index % 7 === 0 ? 200 : 20))
    expect((await written(pieces)).equals(Buffer.from(pieces.join('')))).to.equal(true)
  })

  it('puts a character split between two pieces together again', async () => {
    const high = '😀'.charAt(0)
    const low = '😀'.charAt(1)
    expect((await written(['smile ', high, low, ' and ', high])).toString()).to.equal('smile 😀 and \uFFFD')
    expect((await written(['a', high, '', low])).toString()).to.equal('a😀')
    // A lone half left at the very end of a full buffer still gets written.
    const almostFull = 'x'.repeat(1024 * 1024 - 1)
    expect((await written([almostFull, high])).toString()).to.equal(`${almostFull}\uFFFD`)
  })

  it('writes an empty file for no pieces, and a piece larger than the buffer whole', async () => {
    expect((await written([])).length).to.equal(0)
    const large = 'x'.repeat(3 * 1024 * 1024 + 5)
    expect((await written(['<', large, '>'])).toString()).to.equal(`<${large}>`)
  })

  it('writes a string larger than the buffer whole, and counts its bytes, not its characters', async () => {
    const folder = new OutputFolder(tempDir())
    const text = 'index … 日本 😀\n'.repeat(100_000)
    const bytes = await folder.write('index.json', text)
    expect(bytes).to.equal(Buffer.byteLength(text))
    expect(readFileSync(folder.resolve('index.json'), 'utf8') === text).to.equal(true)
  })

  it('gives writes running at the same time buffers of their own', async () => {
    // Each file spans several buffers, so their writes wait on the disk while the others fill theirs.
    const folder = new OutputFolder(tempDir())
    const contents = ['a', 'b', 'c', 'd'].map((letter) => Array.from({length: 40}, (_, index) => `${letter}${index} `.repeat(10_000)))
    await Promise.all(contents.map((pieces, index) => folder.write(`${index}.md`, pieces)))
    for (const [index, pieces] of contents.entries()) expect(readFileSync(folder.resolve(`${index}.md`), 'utf8') === pieces.join('')).to.equal(true, `file ${index}`)
  })
})

describe('output folder: where it cannot be', () => {
  it('says in one sentence why files cannot be made there, before any is tried', () => {
    const file = path.join(tempDir(), 'notes.txt')
    writeFileSync(file, 'a user file')
    const below = path.join(file, 'exports')
    expect(() => new OutputFolder(below).assertWritable()).to.throw(`cannot write into the output folder ${below}: a file is in the way, where a folder of its path should be`)
    expect(() => new OutputFolder(tempDir()).assertWritable()).to.not.throw()
  })
})

describe('output folder: where it is made', () => {
  it('creates itself and the folders of a file on the first write', async () => {
    const root = path.join(tempDir(), 'not', 'there', 'yet')
    await new OutputFolder(root).write('example/attachments/a.png', 'png')
    expect(readFileSync(path.join(root, 'example/attachments/a.png'), 'utf8')).to.equal('png')
  })
})

describe('output folder: what a killed run left', () => {
  it('removes the temporary files of runs no longer running and untouched for a while, and nothing else', async () => {
    const root = tempDir()
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid
    const folder = path.join(root, 'example')
    mkdirSync(folder)
    const names = {
      dead: `.a.md.${deadPid}-0badcafe-7.tmp`,
      // A process this one cannot see may still be writing it (another container).
      deadButRecent: `.d.md.${deadPid}-0badcafe-9.tmp`,
      deadAtRoot: `.INDEX.md.${deadPid}-0badcafe-8.tmp`,
      notOurs: 'a.md.123-0badcafe-1.tmp',
      running: `.b.md.${process.pid}-0badcafe-2.tmp`,
      users: '.notes.tmp',
    }
    const anHourAgo = new Date(Date.now() - 3600_000)
    for (const name of [names.dead, names.deadButRecent, names.notOurs, names.running, names.users]) writeFileSync(path.join(folder, name), 'x')
    writeFileSync(path.join(root, names.deadAtRoot), 'x')
    for (const file of [path.join(folder, names.dead), path.join(folder, names.running), path.join(root, names.deadAtRoot)]) utimesSync(file, anHourAgo, anHourAgo)
    const output = new OutputFolder(root)
    await output.write('example/c.md', 'c')
    await output.write('INDEX.md', 'index')
    expect(readdirSync(folder).sort()).to.deep.equal([names.deadButRecent, names.running, names.users, names.notOurs, 'c.md'].sort())
    expect(readdirSync(root).sort()).to.deep.equal(['INDEX.md', 'example'])
  })
})

