import {decode, encode} from '@toon-format/toon'
import {expect} from 'chai'
import {parse as parseYaml} from 'yaml'
import type {RenderContext, Session, Writer} from '../../src/plugin-api.js'
import {type ExportDocument, ExportDocumentSchema, exportOf, fromExportDocument, MessageRowSchema, sessionOfExport, toExportDocument} from '../../src/model/export-document.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {jsonPieces} from '../../plugins/writer-json/src/pieces.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import {fenced} from '../../plugins/writer-markdown/src/fence.js'
import {toonWriter} from '../../plugins/writer-toon/src/register.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {shapingOf} from '../../src/pipeline/transform.js'
import {fixtureSession} from '../helpers/cli.js'

/** What sync gives a writer: links to the one subagent exported, and the counts of the session. */
const links = (session: Session): RenderContext => renderContext((id) => (id === 'agent-a1b2c3d' ? 'rich/child.md' : null), countsOf(session))
const renderedBy = (writer: Writer, session: Session): string => writer.render(session, links(session))

describe('writers', () => {
  const sessions = ['rich', 'subagent', 'empty'].map((name) => [name, fixtureSession(name)] as const)

  describe('json', () => {
    for (const [name, session] of sessions) {
      it(`renders the ${name} session as the export document, which gives the session back whole`, () => {
        const text = renderedBy(jsonWriter, session)
        const document = ExportDocumentSchema.parse(JSON.parse(text))
        expect(fromExportDocument(document)).to.deep.equal(session)
        expect(text).to.match(/^\{\n {2}"schemaVersion": 5,/)
      })
    }

    it('writes messages and blocks as rows with the same fields', () => {
      const document = JSON.parse(renderedBy(jsonWriter, fixtureSession('rich')))
      const rich = fixtureSession('rich')
      expect(document.messages).to.have.length(rich.messages.length)
      expect(document.blocks).to.have.length(rich.messages.flatMap((message) => message.blocks).length)
      for (const table of ['messages', 'blocks']) {
        const shapes = new Set(document[table].map((row: object) => JSON.stringify(Object.keys(row))))
        expect(shapes.size, table).to.equal(1)
        for (const row of document[table]) for (const value of Object.values(row)) expect(value).to.satisfy((v: unknown) => v === null || typeof v !== 'object')
      }

      const bash = document.blocks.find((row: {name: string | null}) => row.name === 'Bash')
      expect(bash).to.include({type: 'tool_call', message: 1})
      expect(JSON.parse(bash.input)).to.deep.equal({command: 'npm test -- upload\necho done', description: 'Run the upload test'})
      expect(document.blocks.find((row: {callId: string | null; type: string}) => row.type === 'tool_result' && row.callId === bash.callId)).to.include({isError: false})
    })

    it('gives the counts of the session as read before its tables, which an export without its tools keeps', () => {
      const rich = fixtureSession('rich')
      // As sync hands it on: the session shaped, the counts of the one read.
      const withoutTools = {...rich, messages: rich.messages.map((message) => ({...message, blocks: message.blocks.filter((block) => block.type === 'text')}))}
      const context = renderContext(() => null, countsOf(rich))
      const document = JSON.parse(jsonWriter.render(withoutTools, context))
      expect(decode(toonWriter.render(withoutTools, context))).to.deep.equal(document)
      expect(document.counts).to.deep.equal({messages: 8, toolCalls: 3, tools: {Bash: 1, Read: 1, Task: 1}, ownTools: {Bash: 1, Read: 1, Task: 1}})
      expect(Object.keys(document).slice(0, 3)).to.deep.equal(['schemaVersion', 'shaping', 'counts'])
      expect(exportOf(() => document)?.counts).to.deep.equal(document.counts)
      // A document before version 5 has none: they are counted from what it holds.
      const {counts: _counts, ...older} = {...document, schemaVersion: 4}
      expect(exportOf(() => older)).to.deep.include({counts: null})
    })

    it('keeps inline attachment content as a data: URI and brings it back', () => {
      const rich = fixtureSession('rich')
      const image = rich.messages.flatMap((message) => message.blocks).find((block) => block.type === 'attachment' && block.data !== null)
      expect(image, 'the rich fixture has an inline image').to.not.equal(undefined)
      const document = toExportDocument(rich)
      expect(document.blocks.some((row) => row.path?.startsWith('data:image/png;base64,'))).to.equal(true)
      expect(fromExportDocument(document)).to.deep.equal(rich)
    })
  })

  describe('message usage', () => {
    it('is given as columns of the message row, null where the agent recorded none, and comes back whole', () => {
      const rich = fixtureSession('rich')
      const document = toExportDocument(rich)
      expect(document.messages[1]).to.include({cacheReadTokens: 1500, cacheWriteTokens: 800, costUsd: 0.0051, id: 'msg_01', inputTokens: 400, outputTokens: 120, reasoningTokens: 0})
      expect(document.messages[0]).to.include({cacheReadTokens: null, cacheWriteTokens: null, costUsd: null, inputTokens: null, outputTokens: null, reasoningTokens: null})
      for (const row of document.messages) expect(Object.keys(row)).to.deep.equal(Object.keys(MessageRowSchema.shape))
      expect(fromExportDocument(document).messages.map((message) => message.usage)).to.deep.equal(rich.messages.map((message) => message.usage))
    })

    it('keeps tokens without a cost apart from no usage at all', () => {
      const rich = fixtureSession('rich')
      const tokensOnly = {cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null, inputTokens: 6, outputTokens: 176, reasoningTokens: 276}
      const session: Session = {...rich, messages: rich.messages.map((message, index) => (index === 1 ? {...message, usage: tokensOnly} : message))}
      const back = fromExportDocument(ExportDocumentSchema.parse(JSON.parse(renderedBy(jsonWriter, session))))
      expect(back.messages[1].usage).to.deep.equal(tokensOnly)
      expect(back.messages[0].usage).to.equal(null)
    })

    it('is null on every message of an export written before it had columns, a document of version 3, which is still read', () => {
      const rich = fixtureSession('rich')
      const older = JSON.parse(renderedBy(jsonWriter, rich))
      for (const row of older.messages) for (const column of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd']) delete row[column]
      for (const row of older.blocks) for (const column of ['status', 'exitCode', 'durationMs']) delete row[column]
      older.schemaVersion = 3
      expect(Object.keys(older.messages[0])).to.deep.equal(['id', 'role', 'timestamp', 'model'])
      const back = sessionOfExport(() => older)
      const asBefore = (block: Session['messages'][number]['blocks'][number]) => (block.type === 'tool_result' ? {...block, durationMs: null, exitCode: null, status: null} : block)
      expect(back).to.deep.equal({...rich, messages: rich.messages.map((message) => ({...message, blocks: message.blocks.map(asBefore), usage: null}))})
      // Versions it does not know, older or newer, are not guessed at.
      for (const schemaVersion of [2, 6]) expect(sessionOfExport(() => ({...older, schemaVersion}))).to.equal(null)
    })
  })

  describe('toon', () => {
    it('writes the messages, with their usage columns, as a table', () => {
      const lines = renderedBy(toonWriter, fixtureSession('rich')).split('\n')
      const header = lines.findIndex((line) => line.startsWith('messages['))
      expect(lines[header]).to.equal('messages[8]{id,role,timestamp,model,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,reasoningTokens,costUsd}:')
      expect(lines[header + 1]).to.equal('  u1,user,"2026-11-20T09:15:00.000Z",null,null,null,null,null,null,null')
      expect(lines[header + 2]).to.equal('  msg_01,assistant,"2026-11-20T09:15:05.000Z",claude-sonnet-4-5,400,120,1500,800,0,0.0051')
    })

    for (const [name, session] of sessions) {
      it(`decodes the ${name} session back to exactly the JSON export`, () => {
        const toon = renderedBy(toonWriter, session)
        expect(decode(toon)).to.deep.equal(JSON.parse(renderedBy(jsonWriter, session)))
        expect(toon.trimStart().startsWith('{')).to.equal(false, 'TOON is its own text format, not JSON')
      })
    }

    it('writes tables byte for byte as the TOON library writes them, whatever their cells hold', () => {
      const strings = ['', ' ', 'a ', ' a', '\ta', 'a\t', 'true', 'false', 'null', 'True', '42', '-1.5e3', '1E5', '05', '+7', '1.', '.5', '-', '-x', '#x', 'a#', 'a:b', 'a,b', 'a|b', 'a;b', '[x]', 'x]', '{', '}', 'say "hi"', 'back\\slash', 'two\nlines', 'cr\rx', 'tab\tx', 'bs\bx', 'ff\fx', '\u0001', '\u001F', '\u007F', '\u2028', 'emoji 😀', 'é', 'https://example.com/a?b=c', 'data:image/png;base64,iVBORw0KGgo=', `${'x'.repeat(100)} `, `${'long text "quoted", with: every\\thing\n'.repeat(50)}\b`]
      const numbers = [0, -0, 1.5, -3, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY]
      const cells = [...strings, ...numbers, true, false, null]
      const document = {
        schemaVersion: 2,
        title: 'before the tables',
        rows: cells.map((cell, index) => ({index, cell, 'odd key': cell})),
        // The same fields in another order, and keys that need quotes.
        // Alone, two such maps would make a keyed table; in the whole document they do not.
        pointA: {x: 1},
        pointB: {x: 2},
        'table two': [{'a-b': 1, c: 'x'}, {c: 'y', 'a-b': 2}],
        // Not tables: the library writes these its own way.
        mixed: [{a: 1}, {b: 2}],
        nested: [{a: {b: 1}}],
        none: [],
        primitives: ['a', 1, null],
        extra: {note: 'after the tables', list: [{x: 1}, {x: 2}]},
      }
      const ctx: RenderContext = {...renderContext(() => null, countsOf(fixtureSession('empty'))), exportDocument: () => document as unknown as ExportDocument}
      expect(toonWriter.render(fixtureSession('empty'), ctx)).to.equal(`${encode(document)}\n`)
    })

    it('writes an unpaired surrogate (an emoji cut in two) as U+FFFD, as UTF-8 files hold it, instead of failing the session', () => {
      const rich = fixtureSession('rich')
      const [first, ...rest] = rich.messages
      const cut = {
        ...rich,
        title: 'Fix \uD83D',
        messages: [{...first, blocks: [...first.blocks, {type: 'text' as const, text: 'output cut at \uDE00 and \uD83D'}]}, ...rest],
        extra: {...rich.extra, 'key \uD800': 'value'},
      }
      const toon = renderedBy(toonWriter, cut)
      expect([...toonWriter.renderPieces!(cut, links(cut))].join('')).to.equal(toon)
      const expected = JSON.parse(renderedBy(jsonWriter, cut).replaceAll(/\\ud[89a-f][0-9a-f]{2}/g, '\uFFFD'))
      expect(decode(toon)).to.deep.equal(expected)
      expect(toon).to.include('title: Fix \uFFFD').and.include('output cut at \uFFFD and \uFFFD')
    })
  })

  it('give the same text in pieces (as sync writes it) as whole, in every format', () => {
    const empty = fixtureSession('empty')
    for (const session of [fixtureSession('rich'), fixtureSession('subagent'), empty, {...empty, messages: []}, {...empty, extra: {}}]) {
      for (const writer of [jsonWriter, toonWriter, markdownWriter]) {
        expect([...writer.renderPieces!(session, links(session))].join(''), `${writer.format} of ${session.id}`).to.equal(writer.render(session, links(session)))
      }
    }
  })

  it('writes JSON in pieces exactly as JSON.stringify does, whatever a row holds', () => {
    const odd = {
      blocks: [{a: 1, b: undefined, c: () => 1, d: {nested: [1, {deep: 'x'}]}, e: new Date(0), f: Number.NaN, g: 'line\nbreak'}, {}, {only: undefined}],
      empty: [],
      // Rows too long to go in one piece together.
      long: Array.from({length: 12}, (_, index) => ({index, text: `${index}`.repeat(100_000)})),
      messages: [['a', 'b'], 'text', 7, null, {toJSON: () => 'as JSON'}],
      title: 'odd',
      unset: undefined,
    }
    const pieces = [...jsonPieces(odd as unknown as ExportDocument)]
    expect(pieces.join('')).to.equal(`${JSON.stringify(odd, null, 2)}\n`)
    expect(Math.max(...pieces.map((piece) => piece.length))).to.be.below(400_000)
  })

  describe('markdown', () => {
    const rich = fixtureSession('rich')
    const markdown = renderedBy(markdownWriter, withAttachmentPaths(rich))

    it('names a tool input nested deeper than the YAML library can follow, and writes the rest of the session', () => {
      const deep = JSON.parse(`{"command":"ls","deep":${'['.repeat(50_000)}1${']'.repeat(50_000)}}`) as Record<string, unknown>
      const session = {...rich, messages: rich.messages.map((message) => ({...message, blocks: message.blocks.map((block) => (block.type === 'tool_call' ? {...block, input: deep} : block))}))}
      const text = renderedBy(markdownWriter, withAttachmentPaths(session))
      expect(text).to.contain('_(the input of this call is nested too deeply to show here)_')
      expect(text).to.contain(rich.messages.at(-1)!.blocks.find((block) => block.type === 'text')!.text)
    })

    it('gives the same text in pieces (as sync writes it) as whole', () => {
      for (const session of [withAttachmentPaths(rich), fixtureSession('subagent'), fixtureSession('empty')]) {
        const pieces = [...markdownWriter.renderPieces!(session, links(session))]
        expect(pieces.length).to.be.greaterThan(1)
        expect(pieces.join('')).to.equal(renderedBy(markdownWriter, session))
      }
    })

    it('starts with YAML front matter holding the metadata', () => {
      const meta = parseYaml(markdown.split('---\n')[1])
      expect(meta).to.deep.include({
        agent: 'example',
        branch: 'fix/upload',
        branches: ['main', 'fix/upload'],
        created: '2026-11-20T09:15:00.000Z',
        id: rich.id,
        messages: 8,
        models: ['claude-sonnet-4-5'],
        title: rich.title,
        tool_calls: 3,
        workspace: '/home/dev/app',
      })
      expect(meta.tokens).to.deep.equal({cache_read: 5000, cache_write: 800, input: 1200, output: 340, reasoning: 0})
      expect(meta.cost_usd).to.equal(0.0123)
      expect(meta.tools).to.deep.equal({Bash: 1, Read: 1, Task: 1})
      expect(meta).to.not.have.property('files_changed')
      const changed = renderedBy(markdownWriter, {...rich, filesChanged: ['/home/dev/app/src/upload.ts', '/home/dev/app/test/upload.test.ts']})
      expect(parseYaml(changed.split('---\n')[1]).files_changed).to.deep.equal(['/home/dev/app/src/upload.ts', '/home/dev/app/test/upload.test.ts'])
    })

    it('has one heading per turn with role, model and time', () => {
      const headings = markdown.match(/^## .*$/gm)
      expect(headings).to.deep.equal([
        '## User · 2026-11-20 09:15:00 UTC',
        '## Assistant (claude-sonnet-4-5) · 2026-11-20 09:15:05 UTC',
        '## Assistant (claude-sonnet-4-5) · 2026-11-20 09:16:00 UTC',
        '## System · 2026-11-20 09:30:00 UTC',
        '## User · 2026-11-20 09:40:00 UTC',
        '## Assistant (claude-sonnet-4-5) · 2026-11-20 09:42:10 UTC',
      ])
    })

    it('shows each tool result under its call, errors as errors, long output folded', () => {
      const bash = markdown.indexOf('**Tool: Bash**')
      const read = markdown.indexOf('**Tool: Read**')
      expect(bash).to.be.greaterThan(-1)
      expect(markdown.indexOf('<summary>Output (63 lines)</summary>')).to.be.within(bash, read)
      expect(markdown.indexOf('Error (1 line)')).to.be.greaterThan(read)
      expect(markdown).to.contain('command: |-\n  npm test -- upload\n  echo done')
    })

    it('shows the images a tool returned with its call, not as a turn of their own', () => {
      const call = {id: 'toolu_img', input: {file_path: '/home/dev/app/pixel.png'}, name: 'Read', subagentId: null, type: 'tool_call'} as const
      const image = {data: null, kind: 'image', mimeType: 'image/png', name: null, path: 'rich/attachments/c414-pixel.png', type: 'attachment'} as const
      const withImage = (output: string): Session => ({
        ...rich,
        messages: [
          {blocks: [call], id: 'a', model: null, role: 'assistant', timestamp: null, usage: null},
          {blocks: [{callId: call.id, durationMs: null, exitCode: null, isError: false, output, status: 'ok', type: 'tool_result'}, image], id: 't', model: null, role: 'tool', timestamp: null, usage: null},
          {blocks: [{...image}], id: 'u', model: null, role: 'user', timestamp: null, usage: null},
        ],
      })
      const bare = renderedBy(markdownWriter, withImage(''))
      expect(bare).to.contain("**Tool: Read**\n\n```yaml\nfile_path: /home/dev/app/pixel.png\n```\n\n![image](rich/attachments/c414-pixel.png)\n\n## User")
      expect(bare).to.not.contain('## Tool').and.to.not.contain('(empty)')
      // The same image in a user message is that message's own.
      expect(bare.endsWith('## User\n\n![image](rich/attachments/c414-pixel.png)\n')).to.equal(true)
      const described = renderedBy(markdownWriter, withImage('Read image file [image/png]\n'))
      expect(described).to.contain('Output (1 line)\n\n```\nRead image file [image/png]\n```\n\n![image](rich/attachments/c414-pixel.png)\n\n## User')
    })

    it('shows a file edit as a diff under its file and options, whichever agent named its fields', () => {
      const render = (name: string, input: unknown) => {
        const session = {...rich, messages: [{blocks: [{id: 'e1', input, name, subagentId: null, type: 'tool_call' as const}], id: 'a', model: null, role: 'assistant' as const, timestamp: null, usage: null}]}
        return renderedBy(markdownWriter, session).split('**Tool: ')[1]
      }

      expect(render('Edit', {file_path: '/app/a.ts', new_string: 'const a = 2\nconst b = 3', old_string: 'const a = 1', replace_all: false})).to.equal(
        'Edit**\n\n```yaml\nfile_path: /app/a.ts\nreplace_all: false\n```\n\n```diff\n-const a = 1\n+const a = 2\n+const b = 3\n```\n',
      )
      // Pi's and Claude Code's lists of replacements: a diff each. A final line break ends a line.
      expect(render('edit', {edits: [{newText: 'b\n', oldText: 'a\n'}, {newText: '', oldText: 'gone'}], path: 'src/x.ts'})).to.equal(
        'edit**\n\n```yaml\npath: src/x.ts\n```\n\n```diff\n-a\n+b\n```\n\n```diff\n-gone\n```\n',
      )
      expect(render('edit', {filePath: '/app/b.ts', newString: '  indented', oldString: ''})).to.contain('```diff\n+  indented\n```')
      const patch = '*** Begin Patch\n*** Update File: a.ts\n@@\n-old\n+new\n*** End Patch'
      expect(render('apply_patch', {patchText: `${patch}\n`})).to.equal(`apply_patch**\n\n\`\`\`diff\n${patch}\n\`\`\`\n`)
      // Anything else in a replacement, or no replacement at all: the input as it is.
      expect(render('MultiEdit', {edits: [{new_string: 'b', old_string: 'a', replace_all: true}], file_path: '/app/c.ts'})).to.contain('```yaml\nedits:\n').and.to.not.contain('```diff')
      expect(render('Write', {content: 'x', file_path: '/app/d.ts'})).to.not.contain('```diff')
    })

    it('picks a fence longer than any backtick run in the content', () => {
      expect(markdown).to.contain('`````\nline 0: ok')
      expect(markdown).to.contain('A fence inside: ````js\nx\n````\n`````')
    })

    it('fences an output holding hundreds of thousands of backtick runs (a minified file)', () => {
      const output = `${'a`'.repeat(300_000)}b\`\`\`\`c`
      expect(fenced(output).join('')).to.equal(`\`\`\`\`\`\n${output}\n\`\`\`\`\``)
    })

    it('marks thinking and redacted thinking visibly', () => {
      expect(markdown).to.contain('> **Thinking**\n>\n> The test depends on timing.\n> Let me look at it.')
      expect(markdown).to.contain('> **Thinking**\n>\n> _(redacted by the provider)_')
    })

    it('names events in words, acronyms in capitals', () => {
      const session: Session = {...fixtureSession('empty'), messages: [{blocks: [{kind: 'api_error', text: 'Overloaded', type: 'event'}, {kind: 'mcp-server_status', text: 'Connected', type: 'event'}, {kind: 'rapid_idea', text: 'Kept', type: 'event'}], id: 'm1', model: null, role: 'system', timestamp: null, usage: null}]}
      const text = renderedBy(markdownWriter, session)
      expect(text).to.contain('**API error**').and.to.contain('**MCP server status**').and.to.contain('**Rapid idea**')
    })

    it('links subagents, images and files', () => {
      expect(markdown).to.contain('Subagent session: [agent-a1b2c3d](rich/child.md)')
      expect(markdown).to.contain('![screenshot.png](rich/attachments/abc-screenshot.png)')
      expect(markdown).to.contain('Attachment: [notes.txt](/home/dev/app/notes.txt)')
      expect(markdown).to.contain('**Compaction**')
    })

    it('says under the title which session started a subagent and which one a fork was copied from, linked when exported', () => {
      const parentLinked: RenderContext = {...links(rich), linkToSession: (id) => (id === rich.id ? '../rich.md' : null)}
      const subagent = markdownWriter.render(fixtureSession('subagent'), parentLinked)
      expect(subagent).to.contain(`# Search for timers\n\nSubagent of [${rich.id}](../rich.md).\n\n## `)
      const fork = renderedBy(markdownWriter, {...rich, forkedFrom: '0c0ffee0-0000-4000-8000-000000000000'})
      expect(fork).to.contain(`\n\nForked from 0c0ffee0-0000-4000-8000-000000000000 (not exported): it starts with that session's messages.\n\n## User`)
      expect(markdown.split('\n## ')[0]).to.not.contain('Forked from').and.to.not.contain('Subagent of')
      // An id that ends in a backslash would keep its link from closing.
      const odd = markdownWriter.render({...fixtureSession('subagent'), parentId: 'odd\\'}, {...parentLinked, linkToSession: () => '../odd.md'})
      expect(odd).to.contain('Subagent of [odd\\\\](../odd.md).')
    })

    it("marks where a fork's own messages begin, when its reader knows how many it copied", () => {
      // rich: user, assistant, tool, assistant, tool, system, user, assistant. The tool results show under their calls.
      const fork = {...withAttachmentPaths(rich), copiedMessages: 5, forkedFrom: 'agent-a1b2c3d'}
      const text = renderedBy(markdownWriter, fork)
      expect(text).to.contain("\n\nForked from [agent-a1b2c3d](rich/child.md): it starts with copies of that session's messages, up to a line that marks where its own begin.\n\n## User")
      const marker = "\n\n---\n\n_End of the messages copied from [agent-a1b2c3d](rich/child.md): this fork's own start here._\n\n## System · 2026-11-20 09:30:00 UTC\n\n"
      expect(text.split(marker)).to.have.length(2)
      expect(parseYaml(text.split('---\n')[1])).to.include({copied_messages: 5, forked_from: 'agent-a1b2c3d'})
      const copiedWhole = renderedBy(markdownWriter, {...fork, copiedMessages: 8})
      expect(copiedWhole).to.contain(": all its messages are copies of that session's.\n\n").and.to.not.contain('own start here')
      expect(renderedBy(markdownWriter, {...fork, copiedMessages: 0})).to.contain('Forked from [agent-a1b2c3d](rich/child.md).\n\n## User').and.to.not.contain('own start here')
    })

    it('keeps unicode as it is', () => {
      expect(markdown).to.contain('# Fix the flaky upload test — ünïcödé 日本語')
      expect(markdown).to.contain('Can you fix it? 🙏')
    })

    it('heads the session with its title on one line, though the title has line breaks', () => {
      const text = renderedBy(markdownWriter, {...fixtureSession('rich'), title: 'Fix the upload\n\n  and its test'})
      expect(text.split('\n')).to.include('# Fix the upload and its test')
    })

    it('renders an empty session as metadata and a note', () => {
      const empty = renderedBy(markdownWriter, fixtureSession('empty'))
      expect(empty).to.contain('messages: 0').and.to.contain('# Untitled session').and.to.contain('_No messages._')
    })
  })
})

describe('what an export left out', () => {
  const session = fixtureSession('rich')
  const shaped = renderContext(() => null, countsOf(session), shapingOf({attachments: true, maxOutputChars: 2000, redact: true, thinking: false, tools: false}))

  it('is named at the start of every format, so that what is missing is not taken for never having happened', () => {
    const document = JSON.parse(jsonWriter.render(session, shaped))
    expect(document.shaping).to.deep.equal({attachments: true, maxOutputChars: 2000, redacted: true, thinking: false, tools: false})
    expect(Object.keys(document).slice(0, 2)).to.deep.equal(['schemaVersion', 'shaping'])
    expect(fromExportDocument(ExportDocumentSchema.parse(document))).to.deep.equal(session)
    expect(decode(toonWriter.render(session, shaped))).to.deep.equal(document)
    const matter = parseYaml(markdownWriter.render(session, shaped).split('---\n')[1])
    expect(matter).to.deep.include({left_out: ['tool calls', 'thinking'], outputs_cut_at: 2000, redacted: true, tool_calls: 3})
  })

  it('is not mentioned in Markdown when nothing was', () => {
    const matter = parseYaml(renderedBy(markdownWriter, session).split('---\n')[1])
    expect(matter).to.not.have.any.keys('left_out', 'outputs_cut_at', 'redacted')
    expect(JSON.parse(renderedBy(jsonWriter, session)).shaping).to.deep.equal({attachments: true, maxOutputChars: null, redacted: false, thinking: true, tools: true})
  })
})

/** What the core does before rendering: inline data moved to a file next to the export. */
function withAttachmentPaths(session: Session): Session {
  return {
    ...session,
    messages: session.messages.map((message) => ({
      ...message,
      blocks: message.blocks.map((block) => (block.type === 'attachment' && block.data ? {...block, data: null, path: 'rich/attachments/abc-screenshot.png'} : block)),
    })),
  }
}
