/**
 * Pi's sessions kept in the project: `.pi/settings.json` with `sessionDir: ".pi/sessions"` (the
 * example of Pi's own docs) puts them in the project's `.pi/sessions/`, a folder relative to where
 * Pi runs. sessionsync must find them there, run from any folder. Run with `npm run test:agents`.
 */
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import {AGENTS} from './agents.js'
import {agentRuns, startRun} from './agent-runs.js'
import {PROMPTS} from './driver.js'
import {describeExport, readSessions, sync} from './export.js'
import {TEXTS} from './scenario.js'

describe("Pi's sessions in the project's own folder", function () {
  const runs = agentRuns('sessionsync-session-folder-')

  for (const agent of AGENTS.filter((candidate) => candidate.name === 'pi')) {
    it(`${agent.id}: exports the sessions the project's sessionDir put in .pi/sessions/`, async function () {
      const {run, step} = startRun(this, runs, agent)
      const {folders} = run
      mkdirSync(path.join(folders.workspace, '.pi'), {recursive: true})
      writeFileSync(path.join(folders.workspace, '.pi/settings.json'), JSON.stringify({sessionDir: '.pi/sessions'}))
      await step('other', agent.newSession(PROMPTS.other))
      expect(readdirSync(path.join(folders.workspace, '.pi/sessions')).filter((name) => name.endsWith('.jsonl')), 'the session file, in the project').to.have.length(1)

      // Run from another folder, as a hook or a script would.
      const exported = await sync(run, 'json', [], folders.workspace, folders.root)
      expect(exported.code, describeExport(exported)).to.equal(0)
      const sessions = readSessions(exported)
      expect(sessions.map(({session}) => session.workspace)).to.deep.equal([folders.workspace])
      expect(JSON.stringify(sessions[0].session.messages)).to.include(TEXTS.otherFinal)
    })
  }
})
