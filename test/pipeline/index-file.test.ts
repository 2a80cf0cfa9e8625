import {expect} from 'chai'
import MarkdownIt from 'markdown-it'
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync as writeFile} from 'node:fs'
import path from 'node:path'
import {IndexDocumentSchema, IndexEntrySchema} from '../../src/model/index-document.js'
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

  it('lays out index.json as one JSON.stringify of its version and every session would', async () => {
    const output = new OutputFolder(tempDir())
    await writeIndex(await ExportState.load(output), output, 'markdown', [])
    expect(readFileSync(path.join(output.root, 'index.json'), 'utf8')).to.equal(JSON.stringify({sessions: [], schemaVersion: 1}, null, 2) + '\n')
    const {json} = await exportRun(output, [[facts('aaaa1111', {filesChanged: ['/home/dev/app/a.ts'], summary: 'Two\nlines'}), 'markdown', 'claude/a.md'], [facts('bbbb2222'), 'markdown', 'claude/b.md']])
    expect(json).to.equal(JSON.stringify(JSON.parse(json), null, 2) + '\n')
    expect(JSON.parse(json).sessions.map((session: {id: string}) => session.id)).to.have.members(['aaaa1111', 'bbbb2222'])
  })

  it('writes every field of an entry in the order of its schema, which parses the file', async () => {
    const {json} = await exportRun(new OutputFolder(tempDir()), [[facts('aaaa1111', {models: ['gpt-5'], ownTools: {Bash: 1}}), 'markdown', 'claude/a.md']])
    const [entry] = JSON.parse(json).sessions
    expect(Object.keys(entry)).to.deep.equal(Object.keys(IndexEntrySchema.shape))
    expect(IndexDocumentSchema.parse(JSON.parse(json))).to.deep.equal(JSON.parse(json))
  })

  it("takes the index.json of an earlier version, without schemaVersion, for its own, and writes it again with one though nothing changed", async () => {
    const output = new OutputFolder(tempDir())
    const {json} = await exportRun(output, [[facts('aaaa1111'), 'markdown', 'claude/a.md']])
    // The folder as sessionsync 0.12.0 left it: index.json without its version, and a record of the sizes alone.
    const earlier = json.replace(',\n  "schemaVersion": 1', '')
    writeFile(path.join(output.root, 'index.json'), earlier)
    const {sizes} = JSON.parse(readFileSync(path.join(output.root, '.sessionsync/index-format'), 'utf8'))
    writeFile(path.join(output.root, '.sessionsync/index-format'), `${JSON.stringify({format: 'markdown', sizes: {...sizes, 'index.json': Buffer.byteLength(earlier)}})}\n`)
    expect(foreignIndexFiles(output)).to.deep.equal([])
    const state = await ExportState.load(output)
    expect(await indexInPlace(state, output, 'markdown', [])).to.equal(false)
    await writeIndex(state, output, 'markdown', foreignIndexFiles(output))
    expect(readFileSync(path.join(output.root, 'index.json'), 'utf8')).to.equal(json)
    expect(await indexInPlace(state, output, 'markdown', [])).to.equal(true)
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
    /** `count` sessions, one every `minutesApart` minutes back from `newest`, each exported to a file named by its id. */
    const series = (count: number, newest: string, prefix: string, minutesApart = 60): Array<[SessionFacts, string, string]> => Array.from({length: count}, (_, index) => {
      const time = new Date(Date.parse(newest) - index * minutesApart * 60_000).toISOString()
      const id = `${prefix}${String(index).padStart(4, '0')}`
      return [facts(id, {createdAt: time, updatedAt: time}), 'markdown', `claude/${id}.md`]
    })
    const indexFiles = (output: OutputFolder) => readdirSync(output.root).filter((name) => name.startsWith('INDEX')).sort()
    const listed = (text: string) => text.split('\n').filter((line) => /^\s*- \d{4}-\d{2}-\d{2} · /.test(line))

    it('keeps INDEX.md to the newest sessions an agent reads in one go, and lists the earlier ones in a file per month, each session once', async () => {
      const output = new OutputFolder(tempDir())
      // 100 sessions in the last days of November, 100 before them in October.
      const {markdown} = await exportRun(output, [...series(100, '2026-11-05T03:00:00.000Z', 'nov'), ...series(100, '2026-10-31T23:00:00.000Z', 'oct')])
      expect(indexFiles(output)).to.deep.equal(['INDEX-2026-10.md', 'INDEX.md'])
      expect(listed(markdown)).to.have.length(150)
      expect(markdown).to.contain('200 exported sessions, newest first').and.to.contain('Here the newest 150 sessions; the earlier ones are in a file per month, linked at the end')
      expect(markdown).to.contain('## Earlier sessions, by month of their last activity (UTC)\n\n- [2026-10](INDEX-2026-10.md): 50 sessions\n')
      const october = readFileSync(path.join(output.root, 'INDEX-2026-10.md'), 'utf8')
      expect(october.startsWith('# Session index\n\n50 exported sessions last active in 2026-10 (UTC), newest first')).to.equal(true)
      // Every session once, newest first across the files: INDEX.md, then the months.
      const order = [...listed(markdown), ...listed(october)].map((line) => /\]\(claude\/(\w+)\.md\)/.exec(line)?.[1])
      expect(order).to.deep.equal([...series(100, '2026-11-05T03:00:00.000Z', 'nov'), ...series(100, '2026-10-31T23:00:00.000Z', 'oct')].map(([session]) => session.id))
      // Its links lead to the exports, as INDEX.md's do.
      expect(listed(october)[0]).to.contain('[Title of oct0050](claude/oct0050.md)')
    })

    it('keeps a session and its subagents in one file', async () => {
      const output = new OutputFolder(tempDir())
      const sessions = series(149, '2026-11-20T12:00:00.000Z', 'top')
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
      const [old] = series(1, '2026-10-10T10:00:00.000Z', 'old')
      await exportRun(output, [...series(150, '2026-11-20T12:00:00.000Z', 'nov'), old])
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
      await exportRun(new OutputFolder(output.root), [...series(150, '2026-11-20T12:00:00.000Z', 'nov'), ...series(1, '2026-10-10T10:00:00.000Z', 'old')])
      expect(readFileSync(path.join(output.root, 'INDEX-2026-10.md'), 'utf8')).to.equal('My notes of October\n')
      expect(existsSync(path.join(output.root, 'INDEX-2026-09.md'))).to.equal(true)
    })

    describe('a busy month', () => {
      /** The files of earlier sessions and their texts. */
      const earlierFiles = (output: OutputFolder) => new Map(indexFiles(output).filter((name) => name !== 'INDEX.md').map((name) => [name, readFileSync(path.join(output.root, name), 'utf8')]))
      const idsIn = (text: string) => listed(text).map((line) => /\]\(claude\/(\w+)\.md\)/.exec(line)?.[1])
      /** A week of November in INDEX.md, then 400 sessions of October before it, one an hour from the 15th to the 31st. */
      const novemberAndOctober = () => [...series(150, '2026-11-07T05:00:00.000Z', 'nov'), ...series(400, '2026-10-31T23:00:00.000Z', 'oct')]

      it('lists a month too long for one read in a file per week, and a week still too long in a file per day, each session once', async () => {
        const output = new OutputFolder(tempDir())
        const {markdown} = await exportRun(output, novemberAndOctober())
        const days = ['25', '24', '23', '22', '21', '20', '19'].map((day) => `INDEX-2026-10-${day}.md`)
        // Monday the 26th to the month's end holds 144 sessions, the week before it 168, the 15th to the 18th 88.
        expect(indexFiles(output)).to.deep.equal(['INDEX-2026-10-12-to-18.md', ...[...days].reverse(), 'INDEX-2026-10-26-to-31.md', 'INDEX.md'])
        const files = earlierFiles(output)
        for (const [name, text] of files) expect(listed(text).length, name).to.be.at.most(150)
        expect(markdown).to.contain(['- 2026-10: 400 sessions, in 9 files', '  - [2026-10-26 to 2026-10-31](INDEX-2026-10-26-to-31.md): 144 sessions', '  - [2026-10-25](INDEX-2026-10-25.md): 24 sessions', ''].join('\n'))
        expect(markdown).to.contain('  - [2026-10-12 to 2026-10-18](INDEX-2026-10-12-to-18.md): 88 sessions\n')
        expect(markdown).to.contain("the earlier ones are in a file per month (a busy month's in a file per week, day or hour), linked at the end")
        expect(files.get('INDEX-2026-10-26-to-31.md')).to.match(/^# Session index\n\n144 exported sessions last active from 2026-10-26 to 2026-10-31 \(UTC\), newest first/)
        expect(files.get('INDEX-2026-10-19.md')).to.match(/^# Session index\n\n24 exported sessions last active on 2026-10-19 \(UTC\), newest first/)
        // Every session once, newest first, in the order INDEX.md links the files.
        const linked = [...markdown.matchAll(/\]\((INDEX-[\w-]+\.md)\)/g)].map(([, name]) => name)
        expect(linked).to.deep.equal(['INDEX-2026-10-26-to-31.md', ...days, 'INDEX-2026-10-12-to-18.md'])
        expect([markdown, ...linked.map((name) => files.get(name)!)].flatMap(idsIn)).to.deep.equal(novemberAndOctober().map(([session]) => session.id))
        // Where `grep INDEX*.md` finds an October session now.
        expect(files.get('INDEX-2026-10-22.md')).to.contain('[Title of oct0230](claude/oct0230.md)')
      })

      it('lists a day too long for one read in a file per hour, and a family longer than that whole in one', async () => {
        const output = new OutputFolder(tempDir())
        const [parentExport] = series(1, '2026-11-01T09:30:00.000Z', 'big')
        const [parent] = parentExport
        const subagents = Array.from({length: 159}, (_, index): [SessionFacts, string, string] => {
          const id = `sub${String(index).padStart(4, '0')}`
          return [facts(id, {parentId: parent.id, updatedAt: '2026-11-01T09:20:00.000Z'}), 'markdown', `claude/${id}.md`]
        })
        await exportRun(output, [...series(150, '2026-11-02T23:55:00.000Z', 'new', 5), ...series(200, '2026-11-01T23:58:00.000Z', 'busy', 4), parentExport, ...subagents])
        const files = earlierFiles(output)
        // The first of November is a Sunday: its week is that day alone.
        expect([...files.keys()]).to.deep.equal(['09', ...Array.from({length: 14}, (_, index) => String(index + 10))].map((hour) => `INDEX-2026-11-01T${hour}.md`))
        expect(listed(files.get('INDEX-2026-11-01T23.md')!)).to.have.length(15)
        expect(files.get('INDEX-2026-11-01T23.md')).to.match(/^# Session index\n\n15 exported sessions last active on 2026-11-01 from 23:00 to 23:59 \(UTC\)/)
        expect(idsIn(files.get('INDEX-2026-11-01T09.md')!)).to.deep.equal([parent.id, ...subagents.map(([subagent]) => subagent.id)])
      })

      it('keeps a session and its subagents in the file of the session, whatever day they were last active', async () => {
        const output = new OutputFolder(tempDir())
        const parent = facts('late0001', {createdAt: '2026-10-21T23:30:00.000Z', updatedAt: '2026-10-22T00:10:00.000Z'})
        const subagents = ['sub1', 'sub2'].map((id): [SessionFacts, string, string] => [facts(id, {createdAt: '2026-10-21T23:35:00.000Z', parentId: parent.id, updatedAt: '2026-10-21T23:55:00.000Z'}), 'markdown', `claude/${id}.md`])
        await exportRun(output, [...novemberAndOctober(), [parent, 'markdown', 'claude/late0001.md'], ...subagents])
        const files = earlierFiles(output)
        // Filed by the session's last activity, just after midnight, its subagents under it though they ended before.
        const day = listed(files.get('INDEX-2026-10-22.md')!)
        expect(idsIn(day.join('\n')).slice(-4)).to.deep.equal(['late0001', 'sub1', 'sub2', 'oct0239'])
        expect(day.at(-2)).to.match(/^ {2}- 2026-10-21 · /)
        expect(idsIn(files.get('INDEX-2026-10-21.md')!)).to.have.length(24).and.not.to.include('sub1')
      })

      it('writes only the file a session lands in: the others keep their names and bytes', async () => {
        const output = new OutputFolder(tempDir())
        // October alone: INDEX.md holds the 25th from 18:00 on; the two weeks before are in a file per day, the 9th to the 11th in one.
        await exportRun(output, series(550, '2026-10-31T23:00:00.000Z', 'oct'))
        const before = earlierFiles(output)
        expect([...before.keys()]).to.include.members(['INDEX-2026-10-25.md', 'INDEX-2026-10-12.md', 'INDEX-2026-10-05-to-11.md'])
        // A new session pushes the oldest of INDEX.md, of the 25th at 18:00, into the 25th's file.
        await exportRun(output, series(1, '2026-11-01T08:00:00.000Z', 'new'))
        const after = earlierFiles(output)
        expect([...after.keys()]).to.deep.equal([...before.keys()])
        expect([...after].filter(([name, text]) => before.get(name) !== text).map(([name]) => name)).to.deep.equal(['INDEX-2026-10-25.md'])
        expect(idsIn(after.get('INDEX-2026-10-25.md')!)[0]).to.equal('oct0149')
      })

      it('finds itself out of place once git merged a part, and writes that part again', async () => {
        const output = new OutputFolder(tempDir())
        await exportRun(output, novemberAndOctober())
        const file = path.join(output.root, 'INDEX-2026-10-22.md')
        const written = readFileSync(file, 'utf8')
        writeFile(file, written.replace('\n- ', '\n<<<<<<< HEAD\n- ').replace(/\n$/, '\n=======\n>>>>>>> theirs\n'))
        const state = await ExportState.load(output)
        expect(await indexInPlace(state, output, 'markdown', [])).to.equal(false)
        await writeIndex(state, output, 'markdown', foreignIndexFiles(output))
        expect(readFileSync(file, 'utf8')).to.equal(written)
        expect(await indexInPlace(state, output, 'markdown', [])).to.equal(true)
      })

      it('removes the parts of a month that fits one file again, and records the sizes of the files it wrote instead', async () => {
        const output = new OutputFolder(tempDir())
        // 151 October sessions after INDEX.md's 150: the week of the 26th and a file for the 19th to the 25th.
        const october = series(151, '2026-10-31T23:00:00.000Z', 'oct')
        await exportRun(output, [...series(150, '2026-11-07T05:00:00.000Z', 'nov'), ...october])
        expect(indexFiles(output)).to.deep.equal(['INDEX-2026-10-19-to-25.md', 'INDEX-2026-10-26-to-31.md', 'INDEX.md'])
        // One of them is active again, on the newest day: 150 are left in October.
        const [revived] = october
        const {markdown} = await exportRun(output, [[{...revived[0], updatedAt: '2026-11-08T00:00:00.000Z'}, 'markdown', revived[2]]])
        expect(indexFiles(output)).to.deep.equal(['INDEX-2026-10.md', 'INDEX-2026-11.md', 'INDEX.md'])
        expect(markdown).to.contain('- [2026-10](INDEX-2026-10.md): 150 sessions\n')
        const {sizes} = JSON.parse(readFileSync(path.join(output.root, '.sessionsync/index-format'), 'utf8'))
        expect(Object.keys(sizes).sort()).to.deep.equal(['INDEX-2026-10.md', 'INDEX-2026-11.md', 'INDEX.md', 'index.json'])
        expect(await indexInPlace(await ExportState.load(output), output, 'markdown', [])).to.equal(true)
      })

      it("leaves a user's file of a part's name as it is, and writes the others", async () => {
        const output = new OutputFolder(tempDir())
        writeFile(path.join(output.root, 'INDEX-2026-10-22.md'), 'What we did on the 22nd\n')
        expect(foreignIndexFiles(output)).to.deep.equal(['INDEX-2026-10-22.md'])
        await exportRun(output, novemberAndOctober())
        expect(readFileSync(path.join(output.root, 'INDEX-2026-10-22.md'), 'utf8')).to.equal('What we did on the 22nd\n')
        expect(indexFiles(output)).to.include.members(['INDEX-2026-10-21.md', 'INDEX-2026-10-23.md'])
        const {sizes} = JSON.parse(readFileSync(path.join(output.root, '.sessionsync/index-format'), 'utf8'))
        expect(sizes).to.not.have.property('INDEX-2026-10-22.md')
        expect(await indexInPlace(await ExportState.load(output), output, 'markdown', foreignIndexFiles(output))).to.equal(true)
      })

      it('replaces the single file of a busy month that sessionsync 0.11.0 wrote with its parts', async () => {
        const output = new OutputFolder(tempDir())
        await exportRun(output, novemberAndOctober())
        // The folder as 0.11.0 left it: October in one file, which INDEX.md links, and the sizes it wrote.
        const parts = [...earlierFiles(output).keys()]
        for (const name of parts) rmSync(path.join(output.root, name))
        const month = ['# Session index', '', '400 exported sessions last active in 2026-10 (UTC), newest first; subagent sessions are listed under the session that started them. The newest sessions are in [INDEX.md](INDEX.md), which links every month.', ''].join('\n')
        writeFile(path.join(output.root, 'INDEX-2026-10.md'), month)
        const index = readFileSync(path.join(output.root, 'INDEX.md'), 'utf8').replace(/- 2026-10: [^]*$/, '- [2026-10](INDEX-2026-10.md): 400 sessions\n')
        writeFile(path.join(output.root, 'INDEX.md'), index)
        const sizes = {'index.json': statSync(path.join(output.root, 'index.json')).size, 'INDEX.md': Buffer.byteLength(index), 'INDEX-2026-10.md': Buffer.byteLength(month)}
        writeFile(path.join(output.root, '.sessionsync/index-format'), `${JSON.stringify({format: 'markdown', sizes})}\n`)
        const state = await ExportState.load(output)
        expect(await indexInPlace(state, output, 'markdown', [])).to.equal(false)

        // A run with nothing new to export writes the index again, as sync does when it is out of place.
        await writeIndex(state, output, 'markdown', foreignIndexFiles(output))
        expect(indexFiles(output)).to.deep.equal([...parts, 'INDEX.md'].sort())
        expect(readFileSync(path.join(output.root, 'INDEX.md'), 'utf8')).to.contain('- 2026-10: 400 sessions, in 9 files\n').and.not.contain('(INDEX-2026-10.md)')
        expect(await indexInPlace(state, output, 'markdown', [])).to.equal(true)
      })
    })
  })
})
