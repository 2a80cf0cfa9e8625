import {expect} from 'chai'
import MarkdownIt from 'markdown-it'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync as writeFile} from 'node:fs'
import path from 'node:path'
import {foreignIndexFiles, indexInPlace, writeIndex} from '../../src/pipeline/index-file.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {ExportState, type SessionFacts} from '../../src/pipeline/state.js'
import {tempDir} from '../helpers/cli.js'
import {exportRecord as record, sessionFacts as facts} from '../helpers/state.js'

describe('writing the index', () => {
  /** One export run: what the state holds now, each run's changes recorded, then the index written, as sync does. */
  async function exportRun(output: OutputFolder, changes: Array<[SessionFacts, string, string]>, format = 'markdown'): Promise<{json: string; markdown: string}> {
    const state = await ExportState.load(output)
    for (const [sessionFacts, exportFormat, file] of changes) state.set(`claude/${sessionFacts.id}`, exportFormat, sessionFacts, record(file))
    await state.save(output)
    await writeIndex(state, output, format, foreignIndexFiles(output))
    return {json: readFileSync(path.join(output.root, 'index.json'), 'utf8'), markdown: readFileSync(path.join(output.root, 'INDEX.md'), 'utf8')}
  }

  const lineOf = (markdown: string, id: string) => markdown.split('\n').find((line) => line.includes(`Title of ${id}`))

  it('lays out index.json as one JSON.stringify of every session would', async () => {
    const output = new OutputFolder(tempDir())
    await writeIndex(await ExportState.load(output), output, 'markdown', [])
    expect(readFileSync(path.join(output.root, 'index.json'), 'utf8')).to.equal(JSON.stringify({sessions: []}, null, 2) + '\n')
    const {json} = await exportRun(output, [[facts('aaaa1111', {filesChanged: ['/home/dev/app/a.ts'], summary: 'Two\nlines'}), 'markdown', 'claude/a.md'], [facts('bbbb2222'), 'markdown', 'claude/b.md']])
    expect(json).to.equal(JSON.stringify(JSON.parse(json), null, 2) + '\n')
    expect(JSON.parse(json).sessions.map((session: {id: string}) => session.id)).to.have.members(['aaaa1111', 'bbbb2222'])
  })

  it("gives what a study of a history sums from index.json alone: a fork's own calls per tool beside all of them, the models, tokens and cost", async () => {
    const usage = {cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.0123, inputTokens: 1200, outputTokens: 300, reasoningTokens: 0}
    const original = facts('aaaa1111', {models: ['claude-sonnet-4-5'], ownTools: {Bash: 1}, usage})
    const fork = facts('bbbb2222', {copiedMessages: 2, forkedFrom: 'aaaa1111', models: [], ownTools: {Edit: 1}, toolCalls: 2, tools: {Bash: 1, Edit: 1}, usage: null})
    const {json} = await exportRun(new OutputFolder(tempDir()), [[original, 'markdown', 'claude/a.md'], [fork, 'markdown', 'claude/b.md'], [facts('cccc3333'), 'markdown', 'claude/c.md']])
    const byId = Object.fromEntries(JSON.parse(json).sessions.map(({id, models, ownTools, usage}: {id: string; models: unknown; ownTools: unknown; usage: unknown}) => [id, {models, ownTools, usage}]))
    expect(byId).to.deep.equal({
      aaaa1111: {models: ['claude-sonnet-4-5'], ownTools: {Bash: 1}, usage},
      bbbb2222: {models: [], ownTools: {Edit: 1}, usage: null},
      // Exported by an earlier version, which did not keep them.
      cccc3333: {models: null, ownTools: null, usage: null},
    })
  })

  it('shows the control characters of what it lists as symbols, so that each session stays one line and a terminal takes none for orders', async () => {
    const output = new OutputFolder(tempDir())
    const hostile = facts('aaaa1111', {filesChanged: ['/home/dev/app/two\nlines.ts'], summary: 'Beep\u0007 here', title: 'Title of aaaa1111 \u001B[31mred'})
    const {markdown} = await exportRun(output, [[hostile, 'markdown', 'claude/a.md'], [facts('bbbb2222'), 'markdown', 'claude/b.md']])
    expect(markdown).to.not.match(/[\u0000-\u0009\u000B-\u001F\u007F]/)
    expect(markdown.split('\n').filter((line) => line.startsWith('- '))).to.have.length(2)
    expect(lineOf(markdown, 'aaaa1111')).to.contain('Title of aaaa1111 ␛\\[31mred').and.to.contain('changed two␊lines.ts').and.to.contain('— Beep␇ here')
  })

  it('links every session whatever its title holds: brackets, a last backslash, a tag', async () => {
    const output = new OutputFolder(tempDir())
    const titles = ['Fix C:\\temp\\', 'Read [the] docs]', '<details><summary>x']
    const {markdown} = await exportRun(output, titles.map((title, index) => [facts(`aaaa000${index}`, {summary: '<details> folds the rest', title}), 'markdown', `claude/${index}.md`]))
    const html = new MarkdownIt({html: true}).render(markdown)
    for (const [index, title] of titles.entries()) expect(html).to.contain(`<a href="claude/${index}.md">${new MarkdownIt().utils.escapeHtml(title)}</a>`)
    expect(html).to.not.contain('<details>')
  })

  it('gives a summary only when it says more than the title, however long the title', async () => {
    const output = new OutputFolder(tempDir())
    const prompt = `Refactor ${'the loader '.repeat(13)}into modules`
    const {markdown} = await exportRun(output, [[facts('aaaa1111', {firstPrompt: prompt, title: prompt}), 'markdown', 'claude/a.md'], [facts('bbbb2222', {summary: 'What it did'}), 'markdown', 'claude/b.md']])
    expect(prompt.length).to.be.greaterThan(100)
    expect(markdown.split('\n').find((line) => line.includes('claude/a.md'))).to.not.contain(' — ')
    expect(markdown.split('\n').find((line) => line.includes('claude/b.md'))).to.contain(' — What it did')
  })

  it('lists sessions of the same time in one order, whatever order they were exported in', async () => {
    const same = ['cccc3333', 'aaaa1111', 'bbbb2222'].map((id) => facts(id))
    const indexes = await Promise.all([same, [...same].reverse()].map((order) => exportRun(new OutputFolder(tempDir()), order.map((session) => [session, 'markdown', `claude/${session.id}.md`]))))
    expect(indexes[0].markdown).to.equal(indexes[1].markdown)
    expect(JSON.parse(indexes[0].json).sessions.map((session: {id: string}) => session.id)).to.deep.equal(['aaaa1111', 'bbbb2222', 'cccc3333'])
  })

  it('shows what changed at each export of a long-running process, and keeps the rest as it was', async () => {
    const output = new OutputFolder(tempDir())
    const original = facts('aaaa1111')
    const fork = facts('bbbb2222', {copiedMessages: 4, forkedFrom: 'aaaa1111', messages: 6, updatedAt: '2026-11-21T11:00:00.000Z'})
    const first = await exportRun(output, [[original, 'markdown', 'claude/a.md'], [fork, 'markdown', 'claude/b.md']])
    expect(lineOf(first.markdown, 'bbbb2222')).to.contain('fork of [aaaa1111](claude/a.md), 2 new msgs')

    // The fork grows: its line changes, the original's does not.
    const second = await exportRun(output, [[{...fork, messages: 9}, 'markdown', 'claude/b.md']])
    expect(lineOf(second.markdown, 'bbbb2222')).to.contain('9 msgs').and.to.contain('5 new msgs')
    expect(lineOf(second.markdown, 'aaaa1111')).to.equal(lineOf(first.markdown, 'aaaa1111'))
    expect(JSON.parse(second.json).sessions.find((session: {id: string}) => session.id === 'bbbb2222').messages).to.equal(9)

    // The original is exported as JSON too, and the index written for JSON: both lines link to JSON.
    const third = await exportRun(output, [[original, 'json', 'claude/a.json']], 'json')
    expect(lineOf(third.markdown, 'aaaa1111')).to.contain('](claude/a.json)')
    expect(lineOf(third.markdown, 'bbbb2222')).to.contain('fork of [aaaa1111](claude/a.json)')

    // Only the original changes (its JSON export moved): the fork's line, unchanged itself, links to where it is now.
    const fourth = await exportRun(output, [[original, 'json', 'claude/a-moved.json']], 'json')
    expect(lineOf(fourth.markdown, 'bbbb2222')).to.contain('fork of [aaaa1111](claude/a-moved.json)')
  })
  it('finds itself out of place once a file of it was changed by something else, and in place again once written', async () => {
    const output = new OutputFolder(tempDir())
    await exportRun(output, [[facts('aaaa1111'), 'markdown', 'claude/a.md']])
    const state = await ExportState.load(output)
    const inPlace = () => indexInPlace(state, output, 'markdown', [])
    expect(await inPlace()).to.equal(true)
    const changes: Array<[string, (text: string) => string]> = [
      ['INDEX.md', (text) => text.replace('- ', '<<<<<<< HEAD\n- ').replace(/\n$/, '\n=======\n>>>>>>> theirs\n')],
      ['index.json', (text) => text.replace('"sessions": [', '"sessions": [\n    {"id": "from a merge"},')],
      ['.sessionsync/index-format', () => 'markdown'],
    ]
    for (const [name, change] of changes) {
      const file = path.join(output.root, name)
      writeFile(file, change(readFileSync(file, 'utf8')))
      expect(await inPlace(), name).to.equal(false)
      await writeIndex(state, output, 'markdown', foreignIndexFiles(output))
      expect(await inPlace(), name).to.equal(true)
    }

    expect(await indexInPlace(state, output, 'json', [])).to.equal(false)
  })

  it("is in place beside a user's own INDEX.md, which it leaves as it is", async () => {
    const output = new OutputFolder(tempDir())
    writeFile(path.join(output.root, 'INDEX.md'), 'My notes\n')
    await exportRun(output, [[facts('aaaa1111'), 'markdown', 'claude/a.md']])
    expect(readFileSync(path.join(output.root, 'INDEX.md'), 'utf8')).to.equal('My notes\n')
    expect(await indexInPlace(await ExportState.load(output), output, 'markdown', foreignIndexFiles(output))).to.equal(true)
  })

  it("names each session's project folder the same whoever writes the index: another user's home as ~user, their own too", async () => {
    const home = process.env.HOME
    process.env.HOME = '/home/alice'
    try {
      const {markdown} = await exportRun(new OutputFolder(tempDir()), [[facts('aaaa1111', {workspace: '/home/alice/code/app'}), 'markdown', 'claude/a.md'], [facts('bbbb2222', {workspace: '/Users/bob/work/app'}), 'markdown', 'claude/b.md'], [facts('cccc3333', {workspace: '/srv/app'}), 'markdown', 'claude/c.md']])
      expect(lineOf(markdown, 'aaaa1111')).to.contain(' · claude · ~alice/code/app · main · ')
      expect(lineOf(markdown, 'bbbb2222')).to.contain(' · claude · ~bob/work/app · main · ')
      expect(lineOf(markdown, 'cccc3333')).to.contain(' · claude · /srv/app · main · ')
    } finally {
      process.env.HOME = home
    }
  })

  describe('a long history', () => {
    /** `count` sessions, one an hour back from `newest`, each exported to a file named by its id. */
    const hourly = (count: number, newest: string, prefix: string): Array<[SessionFacts, string, string]> => Array.from({length: count}, (_, index) => {
      const time = new Date(Date.parse(newest) - index * 3_600_000).toISOString()
      const id = `${prefix}${String(index).padStart(4, '0')}`
      return [facts(id, {createdAt: time, updatedAt: time}), 'markdown', `claude/${id}.md`]
    })
    const indexFiles = (output: OutputFolder) => readdirSync(output.root).filter((name) => name.startsWith('INDEX')).sort()
    const listed = (text: string) => text.split('\n').filter((line) => /^\s*- \d{4}-/.test(line))

    it('keeps INDEX.md to the newest sessions an agent reads in one go, and lists the earlier ones in a file per month, each session once', async () => {
      const output = new OutputFolder(tempDir())
      // 100 sessions in the last days of November, 100 before them in October.
      const {markdown} = await exportRun(output, [...hourly(100, '2026-11-05T03:00:00.000Z', 'nov'), ...hourly(100, '2026-10-31T23:00:00.000Z', 'oct')])
      expect(indexFiles(output)).to.deep.equal(['INDEX-2026-10.md', 'INDEX.md'])
      expect(listed(markdown)).to.have.length(150)
      expect(markdown).to.contain('200 exported sessions, newest first').and.to.contain('Here the newest 150 sessions')
      expect(markdown).to.contain('## Earlier sessions, by month of their last activity (UTC)\n\n- [2026-10](INDEX-2026-10.md): 50 sessions\n')
      const october = readFileSync(path.join(output.root, 'INDEX-2026-10.md'), 'utf8')
      expect(october.startsWith('# Session index\n\n50 exported sessions last active in 2026-10 (UTC), newest first')).to.equal(true)
      // Every session once, newest first across the files: INDEX.md, then the months.
      const order = [...listed(markdown), ...listed(october)].map((line) => /\]\(claude\/(\w+)\.md\)/.exec(line)?.[1])
      expect(order).to.deep.equal([...hourly(100, '2026-11-05T03:00:00.000Z', 'nov'), ...hourly(100, '2026-10-31T23:00:00.000Z', 'oct')].map(([session]) => session.id))
      // Its links lead to the exports, as INDEX.md's do.
      expect(listed(october)[0]).to.contain('[Title of oct0050](claude/oct0050.md)')
    })

    it('keeps a session and its subagents in one file', async () => {
      const output = new OutputFolder(tempDir())
      const sessions = hourly(149, '2026-11-20T12:00:00.000Z', 'top')
      const [last] = sessions.at(-1)!
      const subagents = ['sub1', 'sub2'].map((id): [SessionFacts, string, string] => [facts(id, {parentId: last.id, updatedAt: last.updatedAt}), 'markdown', `claude/${id}.md`])
      const {markdown} = await exportRun(output, [...sessions, ...subagents])
      // The 149th session and its two subagents would make 151 lines: all three go to November's file.
      expect(listed(markdown)).to.have.length(148)
      const november = readFileSync(path.join(output.root, 'INDEX-2026-11.md'), 'utf8')
      expect(listed(november).map((line) => /\[Title of (\w+)\]/.exec(line)?.[1])).to.deep.equal([last.id, 'sub1', 'sub2'])
      expect(listed(november)[1]).to.match(/^ {2}- /)
    })

    it('removes the file of a month whose sessions moved on, and is whole again once a file goes missing', async () => {
      const output = new OutputFolder(tempDir())
      const [old] = hourly(1, '2026-10-10T10:00:00.000Z', 'old')
      await exportRun(output, [...hourly(150, '2026-11-20T12:00:00.000Z', 'nov'), old])
      expect(indexFiles(output)).to.deep.equal(['INDEX-2026-10.md', 'INDEX.md'])
      // The October session is active again: it is the newest, and the oldest of November's goes.
      const {markdown} = await exportRun(output, [[{...old[0], updatedAt: '2026-11-21T00:00:00.000Z'}, 'markdown', old[2]]])
      expect(indexFiles(output)).to.deep.equal(['INDEX-2026-11.md', 'INDEX.md'])
      expect(listed(markdown)[0]).to.contain('Title of old0000')

      const state = await ExportState.load(output)
      expect(await indexInPlace(state, output, 'markdown', [])).to.equal(true)
      rmSync(path.join(output.root, 'INDEX-2026-11.md'))
      expect(await indexInPlace(state, output, 'markdown', [])).to.equal(false)
    })

    it('leaves a file of its own name that it did not write', async () => {
      const output = new OutputFolder(tempDir())
      writeFile(path.join(output.root, 'INDEX-2026-10.md'), 'My notes of October\n')
      writeFile(path.join(output.root, 'INDEX-2026-09.md'), 'My notes of September\n')
      expect(foreignIndexFiles(new OutputFolder(output.root))).to.deep.equal(['INDEX-2026-09.md', 'INDEX-2026-10.md'])
      await exportRun(new OutputFolder(output.root), [...hourly(150, '2026-11-20T12:00:00.000Z', 'nov'), ...hourly(1, '2026-10-10T10:00:00.000Z', 'old')])
      expect(readFileSync(path.join(output.root, 'INDEX-2026-10.md'), 'utf8')).to.equal('My notes of October\n')
      expect(existsSync(path.join(output.root, 'INDEX-2026-09.md'))).to.equal(true)
    })
  })
})
