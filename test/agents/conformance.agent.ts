/**
 * Conformance: the real agents (pinned in package-lock.json, or AGENT_VERSIONS) write sessions
 * against a scripted local model; sessionsync exports them; the exports must hold everything.
 * Run with `npm run test:agents`.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import type {AttachmentBlock, Session, ToolCallBlock, ToolResultBlock} from '../../src/model/session.js'
import {AGENTS, type AgentDefinition} from './agents.js'
import {type AgentRun, BRANCH, moveProject, OTHER_BRANCH, PIXEL_PNG, PROMPTS, runAgent} from './driver.js'
import {describeExport, EXTENSIONS, type Export, type ExportedSession, type Format, readSessions, sync} from './export.js'
import {blocksOf} from '../helpers/session.js'
import {binDir, installationOf} from './installations.js'
import {agentRuns, installedOrSkip} from './agent-runs.js'
import {TEXTS, WORKSPACE_FILES} from './scenario.js'

const ROOT_SESSIONS = 3 // main (continued in place), its fork, one on another branch

const userText = (session: Session) =>
  session.messages
    .filter((message) => message.role === 'user')
    .flatMap((message) => message.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])))
    .join('\n')

/** The sessions of one export, told apart by the prompts the driver sent. */
function identify(sessions: ExportedSession[]) {
  const find = (predicate: (session: Session) => boolean) => sessions.filter(({session}) => predicate(session))
  const roots = find((session) => session.parentId === null)
  const forks = roots.filter(({session}) => userText(session).includes(PROMPTS.fork))
  const mains = roots.filter(({session}) => userText(session).includes(PROMPTS.main) && !userText(session).includes(PROMPTS.fork))
  const others = roots.filter(({session}) => userText(session).includes(PROMPTS.other))
  return {roots, forks, mains, others, subagents: find((session) => session.parentId !== null)}
}

/** Each tool call with the one result that answers it. */
function callsWithResults(session: Session): Array<{call: ToolCallBlock; result: ToolResultBlock}> {
  const results = blocksOf(session, 'tool_result')
  return blocksOf(session, 'tool_call').map((call) => {
    const answers = results.filter((result) => result.callId === call.id)
    expect(answers, `results of ${call.name} ${call.id} in ${session.id}`).to.have.length(1)
    return {call, result: answers[0]}
  })
}

interface ExpectedCall {
  what: string
  isError: boolean
  /** The exit code every agent records of a command that failed. */
  exitCode?: number
  input?: string
  output?: string | RegExp
}

function expectedMainCalls(agent: AgentDefinition): ExpectedCall[] {
  return [
    {what: 'shell command', isError: false, output: TEXTS.shellOutput},
    {what: 'read of an existing file', isError: false, input: WORKSPACE_FILES.existing, output: 'Conformance workspace'},
    {what: 'read of a missing file', isError: true, input: WORKSPACE_FILES.missing},
    {what: 'read of an image', isError: false, input: WORKSPACE_FILES.image},
    {what: 'write of a file', isError: false, input: WORKSPACE_FILES.written},
    {exitCode: 2, what: 'failing command', isError: true, output: 'conformance-missing-dir'},
    ...(agent.subagents ? [{what: 'subagent', isError: false, input: 'Check the shell'}] : []),
    {what: 'shell command of the continued session', isError: false, output: new RegExp(`${TEXTS.continuedShellOutput}[\\s\\S]*${BRANCH}`)},
  ]
}

function expectCalls(session: Session, expected: ExpectedCall[]) {
  const actual = callsWithResults(session)
  expect(actual.map(({call}) => call.name), 'tool calls in order').to.have.length(expected.length)
  expected.forEach((want, index) => {
    const {call, result} = actual[index]
    const label = `${want.what} (${call.name} ${JSON.stringify(call.input)} → ${JSON.stringify(result.output.slice(0, 200))})`
    if (want.input) expect(JSON.stringify(call.input), label).to.include(want.input)
    if (typeof want.output === 'string') expect(result.output, label).to.include(want.output)
    if (want.output instanceof RegExp) expect(result.output, label).to.match(want.output)
    expect(result.isError, `error flag of the ${label}`).to.equal(want.isError)
    // None of these calls was stopped or left running.
    expect(result.status, `status of the ${label}`).to.equal(want.isError ? 'error' : 'ok')
    if (want.exitCode !== undefined) expect(result.exitCode, `exit code of the ${label}`).to.equal(want.exitCode)
  })
}

/** What every JSON (and decoded TOON) export of a full run must hold. */
function checkSessions(agent: AgentDefinition, run: AgentRun, exported: Export, sessions: ExportedSession[], thinking: boolean) {
  const {roots, forks, mains, others, subagents} = identify(sessions)
  expect(roots.map(({file}) => file), 'root sessions, directly in the agent folder').to.have.length(ROOT_SESSIONS)
  for (const {file} of roots) expect(file).to.match(new RegExp(`^\\d{4}-\\d{2}-\\d{2}-[^/]+-[^/]+\\.${EXTENSIONS[exported.format]}$`))
  expect(mains, 'the main session').to.have.length(1)
  expect(forks, 'the fork').to.have.length(1)
  expect(others, 'the session on another branch').to.have.length(1)
  const main = mains[0]
  for (const {session} of sessions) {
    expect(session.agent).to.equal(agent.name)
    // Agents may record the real path of a folder reached through a symlink (macOS /tmp).
    expect(session.workspace, `workspace of ${session.id}`).to.be.oneOf([run.folders.workspace, realpathSync(run.folders.workspace)])
    expect(session.title, `title of ${session.id}`).to.not.equal('')
  }

  // The continued session went on in the same session; every step has its result and error flag.
  expect(userText(main.session)).to.include(PROMPTS.continue)
  expectCalls(main.session, expectedMainCalls(agent))
  expect(blocksOf(main.session, 'text').map((block) => block.text)).to.include.members([TEXTS.final, TEXTS.continuedFinal])

  // Subagents: one file in a folder named after the parent's file, linked both ways.
  expect(subagents, 'subagent sessions').to.have.length(agent.subagents ? 1 : 0)
  if (agent.subagents) {
    const [sub] = subagents
    const mainStem = main.file.replace(/\.[^.]+$/, '')
    expect(path.posix.dirname(sub.file), 'subagent folder').to.equal(mainStem)
    expect(sub.session.parentId).to.equal(main.session.id)
    const spawn = blocksOf(main.session, 'tool_call').find((call) => call.id === sub.session.parentToolCallId)
    expect(spawn, 'the tool call that started the subagent').to.not.equal(undefined)
    expect(spawn!.subagentId).to.equal(sub.session.id)
    expect(userText(sub.session)).to.include('[[conformance:subagent]]')
    expectCalls(sub.session, [{what: 'shell command of the subagent', isError: false, output: TEXTS.subagentShellOutput}])
  }

  // The file the agent wrote, once, whichever way the agent recorded it.
  expect(main.session.filesChanged, 'filesChanged').to.have.length(1)
  expect(main.session.filesChanged[0].endsWith(WORKSPACE_FILES.written), `${main.session.filesChanged[0]} is the file written`).to.equal(true)

  // The fork holds the copied conversation and its own new turn.
  const fork = forks[0].session
  expect(fork.id).to.not.equal(main.session.id)
  expect(userText(fork)).to.include(PROMPTS.main)
  expect(blocksOf(fork, 'text').map((block) => block.text)).to.include(TEXTS.forkFinal)
  // OpenCode records no link: the reader finds the original by the copies' times.
  expect(fork.forkedFrom, 'forkedFrom').to.equal(main.session.id)
  // The main session was continued before it was forked: the fork copied all of it.
  expect(fork.copiedMessages, 'copiedMessages').to.equal(main.session.messages.length)
  expect(JSON.stringify(fork.messages[fork.copiedMessages!]?.blocks), "the fork's own first message").to.include(PROMPTS.fork)
  expect(fork.filesChanged, "the fork's own changes: its copies changed nothing").to.deep.equal([])
  expect(blocksOf(others[0].session, 'text').map((block) => block.text)).to.include(TEXTS.otherFinal)

  // Thinking: kept with its text, or gone entirely with --no-thinking.
  const thoughts = sessions.flatMap(({session}) => blocksOf(session, 'thinking'))
  if (thinking) {
    expect(blocksOf(main.session, 'thinking').map((block) => block.text)).to.include.members([TEXTS.mainThinking, TEXTS.finalThinking])
  } else {
    expect(thoughts, 'thinking blocks with --no-thinking').to.deep.equal([])
  }

  // The image the agent read: an attachment file beside the export, not base64 in it.
  const images = blocksOf(main.session, 'attachment').filter((block) => block.kind === 'image')
  expect(images, 'image attachments of the main session').to.not.have.length(0)
  for (const image of images) {
    expect(image.data, 'base64 moved out').to.equal(null)
    expect(image.path, 'attachment path').to.be.a('string')
    const file = path.join(exported.dir, path.dirname(main.file), image.path!)
    expect(path.relative(exported.dir, file).split(path.sep).join('/')).to.match(/\/attachments\/[^/]+$/)
    expect(readFileSync(file).equals(Buffer.from(PIXEL_PNG, 'base64')), `bytes of ${file}`).to.equal(true)
  }

  // Branches: recorded by the agent, or read from the work tree at export.
  expect(main.session.gitBranch.seen).to.include(BRANCH)
  expect(main.session.gitBranch.readAtExport).to.equal(!agent.recordsBranch)
  if (agent.recordsBranch) expect(others[0].session.gitBranch.seen).to.deep.equal([OTHER_BRANCH])
}

/** Images a tool returned: readers put them right after its result, in the same message. */
function returnedImages(session: Session): AttachmentBlock[] {
  return session.messages.flatMap((message) => {
    const firstResult = message.blocks.findIndex((block) => block.type === 'tool_result')
    return firstResult === -1 ? [] : message.blocks.slice(firstResult).flatMap((block) => (block.type === 'attachment' ? [block] : []))
  })
}

/** The Markdown export: the same files, and the same content a reader of it needs. */
function checkMarkdown(json: Export, jsonSessions: ExportedSession[], markdown: Export, thinking: boolean) {
  expect(identify(jsonSessions).roots, 'root sessions of the JSON export to compare with').to.have.length(ROOT_SESSIONS)
  expect(markdown.files).to.deep.equal(json.files.map((file) => file.replace(/\.json$/, '.md')))
  for (const {file, session} of jsonSessions) {
    const mdFile = file.replace(/\.json$/, '.md')
    const text = readFileSync(path.join(markdown.dir, mdFile), 'utf8')
    for (const {result} of callsWithResults(session)) {
      const firstLine = result.output.trim().split('\n')[0]
      if (firstLine) expect(text, `${mdFile}: output "${firstLine}"`).to.include(firstLine)
    }
    for (const block of blocksOf(session, 'thinking')) expect(text, `${mdFile}: thinking`).to.include(block.text)
    for (const image of blocksOf(session, 'attachment')) {
      expect(text, `${mdFile}: link to ${image.path}`).to.include(encodeURI(image.path!))
      expect(existsSync(path.join(markdown.dir, path.dirname(mdFile), image.path!)), `${image.path} beside ${mdFile}`).to.equal(true)
    }
    for (const image of returnedImages(session)) {
      const link = text.indexOf(encodeURI(image.path!))
      const turn = text.slice(text.lastIndexOf('\n## ', link), link)
      expect(turn, `${mdFile}: the image a tool returned is shown with its call`).to.include('**Tool: ')
    }
    if (session.copiedMessages && session.copiedMessages < session.messages.length) expect(text, `${mdFile}: where the fork's own messages begin`).to.include("this fork's own start here")
    // A subagent links back to the session that started it, a fork to the one it was copied from.
    for (const origin of [session.parentId, session.forkedFrom]) {
      const originFile = jsonSessions.find((candidate) => candidate.session.id === origin)?.file.replace(/\.json$/, '.md')
      if (originFile) expect(text, `${mdFile}: link to ${originFile}`).to.include(`](${encodeURI(path.relative(path.dirname(mdFile), originFile))})`)
    }
    if (!thinking) {
      expect(text).to.not.include(TEXTS.mainThinking)
      expect(text).to.not.include(TEXTS.finalThinking)
    }
  }
}

describe('conformance with the real agents', function () {
  const runs = agentRuns('sessionsync-agents-')

  for (const agent of AGENTS) {
    describe(agent.id, function () {
      let run: AgentRun
      const exports = new Map<string, Promise<Export>>()
      const exportOf = (format: Format, options: string[] = [], workspace?: string) => {
        const key = JSON.stringify([format, options, workspace])
        if (!exports.has(key)) exports.set(key, sync(run, format, options, workspace))
        return exports.get(key)!
      }

      const succeeded = async (format: Format, options: string[] = [], workspace?: string) => {
        const exported = await exportOf(format, options, workspace)
        expect(exported.code, describeExport(exported)).to.equal(0)
        return exported
      }

      before(async function () {
        const installation = installedOrSkip(this, agent)
        const folder = path.join(runs.root, agent.id)
        mkdirSync(folder)
        run = await runAgent(agent, binDir(installation), runs.server, folder)
      })

      for (const format of ['json', 'toon'] as const) {
        it(`exports every session, tool result, thinking block and image as ${format}`, async function () {
          const exported = await succeeded(format)
          checkSessions(agent, run, exported, readSessions(exported), true)
        })

        it(`drops thinking with --no-thinking (${format})`, async function () {
          const exported = await succeeded(format, ['--no-thinking'])
          checkSessions(agent, run, exported, readSessions(exported), false)
        })
      }

      it('exports the same sessions as markdown, with outputs, thinking and images', async function () {
        const json = await succeeded('json')
        checkMarkdown(json, readSessions(json), await succeeded('markdown'), true)
      })

      it('drops thinking from markdown with --no-thinking', async function () {
        const json = await succeeded('json', ['--no-thinking'])
        checkMarkdown(json, readSessions(json), await succeeded('markdown', ['--no-thinking']), false)
      })

      it('TOON decodes to the JSON export', async function () {
        const json = readSessions(await succeeded('json'))
        const toon = readSessions(await succeeded('toon'))
        expect(identify(json).roots, 'root sessions').to.have.length(ROOT_SESSIONS)
        expect(toon.map(({file}) => file.replace(/\.toon$/, '.json'))).to.deep.equal(json.map(({file}) => file))
        expect(toon.map(({session}) => session)).to.deep.equal(json.map(({session}) => session))
      })

      it('exports only the sessions of the branch asked for', async function () {
        for (const format of ['json', 'toon'] as const) {
          const onBranch = identify(readSessions(await succeeded(format, ['--branch', BRANCH])))
          const elsewhere = identify(readSessions(await succeeded(format, ['--branch', OTHER_BRANCH])))
          if (agent.recordsBranch) {
            expect(onBranch.mains, `${format} --branch ${BRANCH}`).to.have.length(1)
            expect(onBranch.forks).to.have.length(1)
            expect(onBranch.others, `${format} --branch ${BRANCH}: the other branch's session`).to.have.length(0)
            expect(onBranch.subagents).to.have.length(agent.subagents ? 1 : 0)
            expect(elsewhere.roots.map(({session}) => userText(session)), `${format} --branch ${OTHER_BRANCH}`).to.have.length(1)
            expect(elsewhere.others).to.have.length(1)
          } else {
            // No branch on record: the work tree's branch at export counts for every session.
            expect(onBranch.roots, `${format} --branch ${BRANCH}`).to.have.length(ROOT_SESSIONS)
            expect(elsewhere.roots, `${format} --branch ${OTHER_BRANCH}`).to.have.length(0)
          }
        }

        const markdown = await succeeded('markdown', ['--branch', BRANCH])
        const json = await succeeded('json', ['--branch', BRANCH])
        expect(markdown.files).to.deep.equal(json.files.map((file) => file.replace(/\.json$/, '.md')))
      })

      it('follows a project that moved, as the agent does', async function () {
        const moved = await moveProject(run, binDir(installationOf(agent)), runs.server)
        const exported = await sync(moved, 'json')
        expect(exported.code, describeExport(exported)).to.equal(0)
        const {roots} = identify(readSessions(exported))
        const texts = roots.map(({session}) => userText(session))
        if (agent.renameSessionsFolder) {
          // The agent found the project's sessions in their renamed folder, and continued the last one there.
          expect(roots, 'root sessions in the new folder').to.have.length(ROOT_SESSIONS)
          const continued = roots.filter(({session}) => userText(session).includes(PROMPTS.other) && userText(session).includes(PROMPTS.continue))
          expect(continued, `the session continued after the move, among ${JSON.stringify(texts)}`).to.have.length(1)
          for (const {session} of roots) expect(session.workspace, `workspace of ${session.id}`).to.be.oneOf([moved.folders.workspace, realpathSync(moved.folders.workspace)])
          expect(continued[0].session.extra.movedFrom, 'the folder it ran in').to.be.oneOf([run.folders.workspace, realpathSync(run.folders.workspace)])
        } else {
          // No folder of sessions to rename: run in the new folder, the agent starts a new session, and the new folder has only that one.
          expect(texts).to.deep.equal([PROMPTS.continue])
        }
      })

      it('exports nothing of this workspace for another --workspace', async function () {
        const here = await succeeded('json')
        expect(here.files, 'files for the workspace itself').to.have.length.of.at.least(ROOT_SESSIONS)
        const elsewhere = mkdtempSync(path.join(run.folders.root, 'other-workspace-'))
        for (const format of ['json', 'markdown', 'toon'] as const) {
          const exported = await succeeded(format, [], elsewhere)
          expect(exported.files, `${format} files for ${elsewhere}`).to.deep.equal([])
        }
      })
    })
  }
})
