/**
 * Work in the background, as Claude Code does it: a command and a subagent started with
 * `run_in_background`, the reply given at once, then a notice to the model as each one ends
 * (`claude -p` waits for them). The export must link the subagent to the call that started it
 * and show each notice where it came. Run with `npm run test:agents`.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import {blocksOf} from '../helpers/session.js'
import {AGENTS} from './agents.js'
import {agentRuns, startRun} from './agent-runs.js'
import {type AgentRun, PROMPTS} from './driver.js'
import {describeExport, readSessions, sync} from './export.js'
import {TEXTS} from './scenario.js'

describe('background work with the real agents', function () {
  const runs = agentRuns('sessionsync-background-')

  for (const agent of AGENTS.filter((candidate) => candidate.backgroundTasks)) {
    describe(agent.id, function () {
      let run: AgentRun

      before(async function () {
        const started = startRun(this, runs, agent)
        await started.step('background', agent.newSession(PROMPTS.background))
        run = started.run
      })

      it('links the subagent started in the background to its call, and shows when each task ended', async function () {
        const exported = await sync(run, 'json')
        expect(exported.code, describeExport(exported)).to.equal(0)
        const sessions = readSessions(exported)
        const main = sessions.find(({session}) => session.parentId === null)!.session
        const subagents = sessions.filter(({session}) => session.parentId === main.id)
        expect(subagents, 'the subagent, in a session of its own').to.have.length(1)
        const sub = subagents[0].session

        const calls = blocksOf(main, 'tool_call')
        expect(calls.map((call) => [call.name, (call.input as {run_in_background?: boolean}).run_in_background])).to.deep.equal([['Bash', true], ['Agent', true]])
        const spawn = calls[1]
        expect(spawn.subagentId, 'the call that started the subagent').to.equal(sub.id)
        expect(sub.parentToolCallId).to.equal(spawn.id)
        expect(blocksOf(sub, 'tool_result').map((result) => result.output)).to.deep.equal([`${TEXTS.subagentShellOutput}`])
        // Both calls return at once; what they did comes in the notices.
        expect(blocksOf(main, 'tool_result').map((result) => result.status)).to.deep.equal(['ok', 'ok'])

        const blocks = main.messages.flatMap((message) => message.blocks)
        const answered = blocks.findIndex((block) => block.type === 'text' && block.text === TEXTS.backgroundFinal)
        const notices = blocks.flatMap((block, at) => (block.type === 'event' && block.kind === 'task_notification' ? [{at, text: block.text}] : []))
        expect(notices.map(({text}) => text).sort(), 'a notice for the subagent and one for the command').to.have.length(2)
        expect(notices.some(({text}) => text.includes('Check the shell') && text.includes(TEXTS.subagentFinal)), JSON.stringify(notices)).to.equal(true)
        expect(notices.some(({text}) => text.includes('completed (exit code 0)')), JSON.stringify(notices)).to.equal(true)
        expect(notices.every(({at}) => at > answered), 'each notice after the first answer').to.equal(true)
      })

      it('shows the notices in Markdown, and links the subagent', async function () {
        const exported = await sync(run, 'markdown')
        expect(exported.code, describeExport(exported)).to.equal(0)
        const [mainFile, subFile] = [...exported.files].sort((a, b) => a.length - b.length)
        const text = readFileSync(path.join(exported.dir, mainFile), 'utf8')
        expect(text.split('**Task notification**'), 'two notices').to.have.length(3)
        expect(text).to.include(`](${encodeURI(path.relative(path.dirname(mainFile), subFile))})`)
      })
    })
  }
})
