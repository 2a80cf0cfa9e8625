import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
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

  it('gives the place of a file made otherwise (the state lock) only in a folder that leads nowhere outside, made before', () => {
    const root = tempDir()
    expect(new OutputFolder(root).placeFor('.sessionsync/state.lock')).to.equal(path.join(root, '.sessionsync/state.lock'))
    expect(readdirSync(path.join(root, '.sessionsync'))).to.deep.equal([])
    const linked = tempDir()
    const outside = tempDir()
    symlinkSync(outside, path.join(linked, '.sessionsync'))
    expect(() => new OutputFolder(linked).placeFor('.sessionsync/state.lock')).to.throw('refusing to follow a symlink out of the output folder')
  })

  it('makes a folder again that another run removed after this one had made it (a text, pieces, bytes, a large file)', async () => {
    const root = tempDir()
    const output = new OutputFolder(root)
    const large = Array.from({length: 3}, () => 'x'.repeat(1024 * 1024))
    const contents: Array<string | string[] | Uint8Array> = ['a mark', ['a ', 'session'], Buffer.from('png'), large]
    for (const [index, content] of contents.entries()) {
      await output.write(`.sessionsync/writing/first-${index}`, 'first')
      // What another run's release does once its own mark is gone: the folder, empty, removed.
      rmSync(path.join(root, '.sessionsync/writing'), {recursive: true})
      await output.write(`.sessionsync/writing/second-${index}`, content)
      const expected = Buffer.from(Array.isArray(content) ? content.join('') : content)
      expect(readFileSync(path.join(root, `.sessionsync/writing/second-${index}`)).equals(expected)).to.equal(true, `content ${index}`)
    }
  })
})

describe('output folder: what a killed run left', () => {
  // The machine's tag in temporary names: the start of its name's SHA-256.
  const hostTag = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)

  it('names a temporary file after the file, the process and the machine', async () => {
    const root = tempDir()
    let seen: string[] = []
    function* pieces() {
      // More than a write buffer: the temporary file is open before the last piece.
      yield 'x'.repeat(2 * 1024 * 1024)
      seen = readdirSync(root)
      yield 'end'
    }

    await new OutputFolder(root).write('a.md', pieces())
    expect(seen).to.have.length(1)
    expect(seen[0]).to.match(new RegExp(String.raw`^\.a\.md\.${process.pid}-${hostTag}-[0-9a-f]{8}-\d+\.tmp$`))
  })

  it('removes the temporary files of runs no longer running: at once when they ran on this machine, else once untouched for a while; nothing else', async () => {
    const root = tempDir()
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid
    // A process that runs while the test does; unreferenced, so that a failing test does not wait for it.
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {stdio: 'ignore'})
    running.unref()
    const folder = path.join(root, 'example')
    mkdirSync(folder)
    const otherHost = hostTag === '0badcafe' ? '1badcafe' : '0badcafe'
    const names = {
      dead: `.a.md.${deadPid}-${otherHost}-0badf00d-7.tmp`,
      // A process this one cannot see may still be writing it (another machine or container).
      deadButRecent: `.d.md.${deadPid}-${otherHost}-0badf00d-9.tmp`,
      // Named by an older sessionsync, without the machine.
      deadOld: `.e.md.${deadPid}-0badf00d-3.tmp`,
      deadOldButRecent: `.f.md.${deadPid}-0badf00d-4.tmp`,
      deadHereRecent: `.g.md.${deadPid}-${hostTag}-0badf00d-5.tmp`,
      deadAtRoot: `.INDEX.md.${deadPid}-${otherHost}-0badf00d-8.tmp`,
      notOurs: `a.md.123-${hostTag}-0badf00d-1.tmp`,
      running: `.b.md.${running.pid}-${otherHost}-0badf00d-2.tmp`,
      runningHere: `.h.md.${running.pid}-${hostTag}-0badf00d-6.tmp`,
      // This process's id, another run's tag: an earlier process that had the same id.
      earlierWithOurPid: `.i.md.${process.pid}-${hostTag}-0badf00d-10.tmp`,
      users: '.notes.tmp',
    }
    const anHourAgo = new Date(Date.now() - 3600_000)
    for (const name of Object.values(names)) writeFileSync(path.join(name === names.deadAtRoot ? root : folder, name), 'x')
    for (const file of [path.join(folder, names.dead), path.join(folder, names.deadOld), path.join(folder, names.running), path.join(root, names.deadAtRoot)]) utimesSync(file, anHourAgo, anHourAgo)
    const output = new OutputFolder(root)
    await output.write('example/c.md', 'c')
    await output.write('INDEX.md', 'index')
    running.kill()
    expect(readdirSync(folder).sort()).to.deep.equal([names.deadButRecent, names.deadOldButRecent, names.running, names.runningHere, names.users, names.notOurs, 'c.md'].sort())
    expect(readdirSync(root).sort()).to.deep.equal(['INDEX.md', 'example'])
  })
})

