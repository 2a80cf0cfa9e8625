/**
 * The agents in a terminal, as most people use them (tmux types and reads), doing what only the
 * terminal interface does. Claude Code: two prompts, then a rewind to before the second (Esc Esc,
 * "Restore conversation") and another prompt; a terminal session writes records `claude -p` does
 * not (each turn ends with a record of its time). Pi: two prompts, `/tree` back to the first
 * answer with a summary of the branch left, another prompt, `/name`, `/compact`. The export must
 * follow the thread the agent resumes, and `--all-branches` must export the branch left. Run with
 * `npm run test:agents`; skipped without tmux.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import type {Session} from '../../src/model/session.js'
import {blocksOf} from '../helpers/session.js'
import {type AgentDefinition, AGENTS} from './agents.js'
import {agentRuns, startRun} from './agent-runs.js'
import {type AgentRun, PROMPTS} from './driver.js'
import {describeExport, readSessions, sync} from './export.js'
import {TEXTS} from './scenario.js'
import {noTerminal, pollUntil, Terminal} from './terminal.js'

/** What the user and the agent said, in order. */
const said = (session: Session) =>
  session.messages.filter((message) => message.role === 'user' || message.role === 'assistant').flatMap((message) => message.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])))

/** The two exchanges every terminal run starts with: a short answer, then a shell command and its answer. */
async function twoExchanges(terminal: Terminal): Promise<void> {
  for (const [prompt, answer] of [
    [PROMPTS.other, TEXTS.otherFinal],
    [PROMPTS.continue, TEXTS.continuedFinal],
  ]) {
    await terminal.submit(prompt)
    await terminal.waitFor(answer)
  }
}

/**
 * Waits until a transcript under Claude Code's `configDir` holds `text`. Claude Code shows an
 * answer before it writes it, and `/branch` copies what is written: on a loaded machine, a
 * `/branch` typed as soon as the answer shows finds "No messages to branch".
 */
function transcriptHolds(configDir: string, text: string): Promise<void> {
  const projects = path.join(configDir, 'projects')
  const written = JSON.stringify(text).slice(1, -1)
  const transcripts = () => (existsSync(projects) ? readdirSync(projects, {recursive: true, encoding: 'utf8'}).filter((file) => file.endsWith('.jsonl')) : [])
  return pollUntil(
    () => transcripts().some((file) => readFileSync(path.join(projects, file), 'utf8').includes(written)),
    () => `no transcript in ${projects} holds "${text}"; transcripts: ${transcripts().join(', ') || 'none'}`,
    60_000,
  )
}

/** The options of Claude Code's rewind menu, in their order. */
const REWIND_OPTIONS = ['Restore conversation', 'Summarize from here', 'Summarize up to here']

/** Skips the test where tmux is missing. */
function terminalOrSkip(context: Mocha.Context): void {
  const missing = noTerminal()
  if (!missing) return
  console.log(`  skipping: ${missing}`)
  context.skip()
}

describe('the agents in a terminal', function () {
  const runs = agentRuns('sessionsync-terminal-')

  /** A terminal of today, not a CI log: Claude Code and Pi draw their interface only then. */
  const terminalEnv = (run: AgentRun): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {...run.env, TERM: 'xterm-256color'}
    delete env.CI
    delete env.NO_COLOR
    return env
  }

  /**
   * Claude Code in a terminal in a run of its own (`folder`): `act` types into it (and is given
   * Claude Code's config folder), then it is left with `/exit`. The first start's questions
   * (theme, API key, trusting the folder) are answered in its `.claude.json` beforehand, as a
   * person would.
   */
  async function inClaude(context: Mocha.Context, agent: AgentDefinition, folder: string, act: (terminal: Terminal, configDir: string) => Promise<void>): Promise<AgentRun> {
    terminalOrSkip(context)
    const {bin, run} = startRun(context, runs, agent, `${agent.id}-${folder}`)
    const env = terminalEnv(run)
    mkdirSync(env.CLAUDE_CONFIG_DIR!, {recursive: true})
    writeFileSync(
      path.join(env.CLAUDE_CONFIG_DIR!, '.claude.json'),
      JSON.stringify({
        bypassPermissionsModeAccepted: true,
        customApiKeyResponses: {approved: [env.ANTHROPIC_API_KEY!.slice(-20)], rejected: []},
        hasCompletedOnboarding: true,
        projects: {[realpathSync(run.folders.workspace)]: {hasCompletedProjectOnboarding: true, hasTrustDialogAccepted: true}},
        theme: 'dark',
      }),
    )

    const terminal = new Terminal(path.join(bin, agent.bin), ['--dangerously-skip-permissions', '--model', 'claude-sonnet-4-5'], env, run.folders.workspace, run.folders.root)
    try {
      await terminal.waitFor('bypass permissions on')
      await act(terminal, env.CLAUDE_CONFIG_DIR!)
      await terminal.submit('/exit')
      await terminal.waitForExit()
    } finally {
      terminal.close()
    }

    return run
  }

  /** Two prompts, then the rewind menu on the second, where `choice` is taken, then another prompt. */
  const rewindInClaude = (context: Mocha.Context, agent: AgentDefinition, choice: string) =>
    inClaude(context, agent, choice.replaceAll(' ', '-'), async (terminal) => {
      await twoExchanges(terminal)

      // The menu on the second prompt; its options: Restore conversation, Summarize from here, Summarize up to here.
      terminal.press('Escape', 'Escape')
      await terminal.waitFor('Rewind')
      terminal.press('Up', 'Enter')
      await terminal.waitFor('Restore conversation')
      terminal.press(...REWIND_OPTIONS.slice(0, REWIND_OPTIONS.indexOf(choice)).map(() => 'Down'), 'Enter')
      // Restoring takes the second exchange away; summarising says so (Claude Code may put the prompt back in the input, which the next prompt clears).
      await (choice === 'Restore conversation' ? terminal.waitForGone(TEXTS.continuedFinal) : terminal.waitFor('Conversation summarized'))
      await terminal.submit(PROMPTS.fork)
      await terminal.waitFor(TEXTS.forkFinal)
    })

  for (const agent of AGENTS.filter((candidate) => candidate.name === 'claude')) {
    it(`${agent.id}: exports the thread after a rewind, and with --all-branches the branch it left`, async function () {
      const run = await rewindInClaude(this, agent, 'Restore conversation')
      const exported = await sync(run, 'json', ['--all-branches'])
      expect(exported.code, describeExport(exported)).to.equal(0)
      const sessions = readSessions(exported).map(({session}) => session)
      const main = sessions.find((session) => session.forkedFrom === null)!
      expect(said(main), 'the thread Claude Code resumes').to.deep.equal([PROMPTS.other, TEXTS.otherFinal, PROMPTS.fork, TEXTS.forkFinal])
      const branches = sessions.filter((session) => session.forkedFrom === main.id)
      expect(branches, 'the branch the rewind left').to.have.length(1)
      expect(said(branches[0])).to.deep.equal([PROMPTS.other, TEXTS.otherFinal, PROMPTS.continue, 'I will work through the steps one tool at a time.', TEXTS.continuedFinal])
      expect(branches[0].copiedMessages).to.equal(2)
      expect(blocksOf(branches[0], 'tool_result').map((result) => result.output.split('\n')[0])).to.deep.equal([TEXTS.continuedShellOutput])

      const mainOnly = await sync(run, 'json')
      expect(readSessions(mainOnly).map(({session}) => session.id), 'without the flag, the thread alone').to.deep.equal([main.id])
    })

    it(`${agent.id}: exports a session /branch made as a fork of its original, titled by its name, dated by its own start`, async function () {
      const run = await inClaude(this, agent, 'branch', async (terminal, configDir) => {
        await terminal.submit(PROMPTS.other)
        await terminal.waitFor(TEXTS.otherFinal)
        await transcriptHolds(configDir, TEXTS.otherFinal)
        await terminal.submit('/branch elsewhere')
        await terminal.waitFor('Branched session "elsewhere"')
        await terminal.submit(PROMPTS.fork)
        await terminal.waitFor(TEXTS.forkFinal)
      })
      const exported = await sync(run, 'json')
      expect(exported.code, describeExport(exported)).to.equal(0)
      const sessions = readSessions(exported).map(({session}) => session)
      const original = sessions.find((session) => session.forkedFrom === null)!
      const branch = sessions.find((session) => session.forkedFrom === original.id)!
      expect(said(original)).to.deep.equal([PROMPTS.other, TEXTS.otherFinal])
      expect(said(branch)).to.deep.equal([PROMPTS.other, TEXTS.otherFinal, PROMPTS.fork, TEXTS.forkFinal])
      expect(branch).to.include({copiedMessages: 2, title: 'elsewhere'})
      expect(branch.createdAt! > original.updatedAt!, `${branch.createdAt} after ${original.updatedAt}`).to.equal(true)
    })

    for (const choice of ['Summarize from here', 'Summarize up to here']) {
      it(`${agent.id}: keeps, after "${choice}" in the rewind menu, the whole conversation in order, the summary after what it covers, and no branch`, async function () {
        const run = await rewindInClaude(this, agent, choice)
        const exported = await sync(run, 'json', ['--all-branches'])
        expect(exported.code, describeExport(exported)).to.equal(0)
        const sessions = readSessions(exported).map(({session}) => session)
        expect(sessions, 'one session, no branch').to.have.length(1)
        const texts = sessions[0].messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'text' && message.role !== 'system' ? [block.text] : block.type === 'event' && block.kind.startsWith('compaction') ? [block.kind] : [])))
        expect(texts).to.deep.equal([PROMPTS.other, TEXTS.otherFinal, PROMPTS.continue, 'I will work through the steps one tool at a time.', TEXTS.continuedFinal, 'compaction', 'compaction_summary', PROMPTS.fork, TEXTS.forkFinal])
      })
    }
  }

  for (const agent of AGENTS.filter((candidate) => candidate.name === 'pi')) {
    it(`${agent.id}: exports the branch /tree went back to, with the summary of the one left, its name and a /compact; with --all-branches the branch left`, async function () {
      terminalOrSkip(this)
      const {bin, run} = startRun(this, runs, agent)
      const terminal = new Terminal(path.join(bin, agent.bin), ['--provider', 'scripted', '--model', 'scripted-model'], terminalEnv(run), run.folders.workspace, run.folders.root)
      try {
        await terminal.waitFor('scripted-model')
        await twoExchanges(terminal)

        // Back to the first answer (the tree's cursor starts on the last entry), summarising the branch left.
        await terminal.submit('/tree')
        await terminal.waitFor('Session Tree')
        terminal.press('Up', 'Up', 'Up', 'Up', 'Enter')
        await terminal.waitFor('Summarize branch?')
        terminal.press('Down', 'Enter')
        await terminal.waitFor('Navigated to selected point')
        await terminal.submit(PROMPTS.fork)
        await terminal.waitFor(TEXTS.forkFinal)
        await terminal.submit('/name Conformance tree')
        await terminal.waitFor('• Conformance tree')
        await terminal.submit('/compact')
        await terminal.waitFor('Compacted from')
        terminal.press('C-d')
        await terminal.waitForExit()
      } finally {
        terminal.close()
      }

      const exported = await sync(run, 'json', ['--all-branches'])
      expect(exported.code, describeExport(exported)).to.equal(0)
      const sessions = readSessions(exported).map(({session}) => session)
      const main = sessions.find((session) => session.forkedFrom === null)!
      expect(main.title).to.equal('Conformance tree')
      const kinds = (session: Session) => blocksOf(session, 'event').map((event) => event.kind).filter((kind) => kind !== 'model_change' && kind !== 'thinking_level_change')
      expect(said(main), 'the branch /tree went back to').to.deep.equal([PROMPTS.other, TEXTS.otherFinal, PROMPTS.fork, TEXTS.forkFinal])
      expect(kinds(main)).to.deep.equal(['branch_summary', 'compaction', 'compaction_summary'])
      const branches = sessions.filter((session) => session.forkedFrom === main.id)
      expect(branches, 'the branch left').to.have.length(1)
      expect(said(branches[0])).to.deep.equal([PROMPTS.other, TEXTS.otherFinal, PROMPTS.continue, 'I will work through the steps one tool at a time.', TEXTS.continuedFinal])
      expect(blocksOf(branches[0], 'tool_result').map((result) => result.output.split('\n')[0])).to.deep.equal([TEXTS.continuedShellOutput])
    })
  }
})
