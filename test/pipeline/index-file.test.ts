import {expect} from 'chai'
import MarkdownIt from 'markdown-it'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {writeIndex} from '../../src/pipeline/index-file.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {ExportState, type SessionFacts} from '../../src/pipeline/state.js'
import {tempDir} from '../helpers/cli.js'

const facts = (id: string, more: Partial<SessionFacts> = {}): SessionFacts => ({
  agent: 'claude', branch: 'main', copiedMessages: null, createdAt: '2026-11-20T10:00:00.000Z', filesChanged: [], firstPrompt: `Prompt of ${id}`, forkedFrom: null,
  id, messages: 4, parentId: null, summary: null, title: `Title of ${id}`, toolCalls: 1, tools: {Bash: 1}, updatedAt: '2026-11-20T11:00:00.000Z', workspace: '/home/dev/app', ...more,
})

const record = (file: string) => ({bytes: 2048, exportedAt: '2026-11-20T12:00:00.000Z', file, fingerprint: '1:1', optionsKey: 'k', source: null})

describe('writing the index', () => {
  /** One export run: what the state holds now, each run's changes recorded, then the index written, as sync does. */
  async function exportRun(output: OutputFolder, changes: Array<[SessionFacts, string, string]>, format = 'markdown'): Promise<{json: string; markdown: string}> {
    const state = await ExportState.load(output)
    for (const [sessionFacts, exportFormat, file] of changes) state.set(`claude/${sessionFacts.id}`, exportFormat, sessionFacts, record(file))
    await state.save(output)
    await writeIndex(state, output, format)
    return {json: readFileSync(path.join(output.root, 'index.json'), 'utf8'), markdown: readFileSync(path.join(output.root, 'INDEX.md'), 'utf8')}
  }

  const lineOf = (markdown: string, id: string) => markdown.split('\n').find((line) => line.includes(`Title of ${id}`))

  it('lays out index.json as one JSON.stringify of every session would', async () => {
    const output = new OutputFolder(tempDir())
    await writeIndex(await ExportState.load(output), output, 'markdown')
    expect(readFileSync(path.join(output.root, 'index.json'), 'utf8')).to.equal(JSON.stringify({sessions: []}, null, 2) + '\n')
    const {json} = await exportRun(output, [[facts('aaaa1111', {filesChanged: ['/home/dev/app/a.ts'], summary: 'Two\nlines'}), 'markdown', 'claude/a.md'], [facts('bbbb2222'), 'markdown', 'claude/b.md']])
    expect(json).to.equal(JSON.stringify(JSON.parse(json), null, 2) + '\n')
    expect(JSON.parse(json).sessions.map((session: {id: string}) => session.id)).to.have.members(['aaaa1111', 'bbbb2222'])
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
})
