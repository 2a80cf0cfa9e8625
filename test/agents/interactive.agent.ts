/**
 * The agents in a terminal, as most people use them (tmux types and reads), doing what only the
 * terminal interface does. Claude Code: two prompts, then a rewind to before the second (Esc Esc,
 * "Restore conversation") and another prompt; a terminal session writes records `claude -p` does
 * not (each turn ends with a record of its time). Pi: two prompts, `/tree` back to the first
 * answer with a summary of the branch left, another prompt, `/name`, `/compact`. The export must
 * follow the thread the agent resumes, and `--all-branches` must export the branch left. Run with
 * `npm run test:agents`; skipped without tmux.
 */
import {mkdirSync, realpathSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import type {Session} from '../../src/model/session.js'
import {blocksOf} from '../helpers/session.js'
import {AGENTS} from './agents.js'
import {agentRuns, startRun} from './agent-runs.js'
import {PROMPTS} from './driver.js'
import {describeExport, readSessions, sync} from './export.js'
import {TEXTS} from './scenario.js'
import {noTerminal, Terminal} from './terminal.js'

const said = (session: Session) => session.messages.filter((message) => message.role === 'user' || message.role === 'assistant').flatMap((message) => blocksOf({...session, messages: [message]}, 'text').map((block) => block.text))

/** Skips the test where tmux is missing. */
function terminalOrSkip(context: Mocha.Context): void {
  const missing = noTerminal()
  if (!missing) return
  console.log(`  skipping: ${missing}`)
  context.skip()
}

describe('the agents in a terminal', function () {
  const runs = agentRuns('sessionsync-terminal-')

  for (const agent of AGENTS.filter((candidate) => candidate.name === 'claude')) {
    it(`${agent.id}: exports the thread after a rewind, and with --all-branches the branch it left`, async function () {
      terminalOrSkip(this)
      const {bin, run} = startRun(this, runs, agent)
      const {folders} = run
      // A terminal of today, not a CI log: Claude Code draws its interface only then.
      const env: NodeJS.ProcessEnv = {...run.env, TERM: 'xterm-256color'}
      delete env.CI
      delete env.NO_COLOR
      // What the first start asks (theme, API key, trusting the folder), answered as a person would.
      const workspace = realpathSync(folders.workspace)
      mkdirSync(env.CLAUDE_CONFIG_DIR!, {recursive: true})
      writeFileSync(
        path.join(env.CLAUDE_CONFIG_DIR!, '.claude.json'),
        JSON.stringify({
          bypassPermissionsModeAccepted: true,
          customApiKeyResponses: {approved: [env.ANTHROPIC_API_KEY!.slice(-20)], rejected: []},
          hasCompletedOnboarding: true,
          projects: {[workspace]: {hasCompletedProjectOnboarding: true, hasTrustDialogAccepted: true}},
          theme: 'dark',
        }),
      )

      const terminal = new Terminal(path.join(bin, agent.bin), ['--dangerously-skip-permissions', '--model', 'claude-sonnet-4-5'], env, folders.workspace, folders.root)
      try {
        await terminal.waitFor('bypass permissions on')
        for (const [prompt, answer] of [
          [PROMPTS.other, TEXTS.otherFinal],
          [PROMPTS.continue, TEXTS.continuedFinal],
        ]) {
          await terminal.submit(prompt)
          await terminal.waitFor(answer)
        }

        // Rewind to before the second prompt (Claude Code may put it back in the input, which the next prompt clears).
        terminal.press('Escape', 'Escape')
        await terminal.waitFor('Rewind')
        terminal.press('Up', 'Enter')
        await terminal.waitFor('Restore conversation')
        terminal.press('Enter')
        await terminal.waitForGone(TEXTS.continuedFinal)
        await terminal.submit(PROMPTS.fork)
        await terminal.waitFor(TEXTS.forkFinal)
        await terminal.submit('/exit')
        await new Promise((resolve) => setTimeout(resolve, 2000))
      } finally {
        terminal.close()
      }

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
  }

  for (const agent of AGENTS.filter((candidate) => candidate.name === 'pi')) {
    it(`${agent.id}: exports the branch /tree went back to, with the summary of the one left, its name and a /compact; with --all-branches the branch left`, async function () {
      terminalOrSkip(this)
      const {bin, run} = startRun(this, runs, agent)
      const env: NodeJS.ProcessEnv = {...run.env, TERM: 'xterm-256color'}
      delete env.CI
      delete env.NO_COLOR
      const terminal = new Terminal(path.join(bin, agent.bin), ['--provider', 'scripted', '--model', 'scripted-model'], env, run.folders.workspace, run.folders.root)
      try {
        await terminal.waitFor('scripted-model')
        for (const [prompt, answer] of [
          [PROMPTS.other, TEXTS.otherFinal],
          [PROMPTS.continue, TEXTS.continuedFinal],
        ]) {
          await terminal.submit(prompt)
          await terminal.waitFor(answer)
        }

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
        await new Promise((resolve) => setTimeout(resolve, 1000))
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
