/**
 * Export as the agents work: each real agent, given the README's recipe (Claude Code's hooks,
 * OpenCode's plugin, Pi's extension) started with this checkout's sessionsync, writes one short
 * session; its export must be in the project's .sessions/ when the agent is done, though the test
 * runs no sessionsync. Run with `npm run test:agents`.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import {AGENTS, AGENTS_DIR, type AgentName} from './agents.js'
import {PROMPTS} from './driver.js'
import {CLI} from './export.js'
import {INSTALLED, installRecipe, readmeBlock, RECIPES} from './recipes.js'
import {agentRuns, startRun} from './agent-runs.js'
import {TEXTS} from './scenario.js'

/** How long OpenCode's export, started as the agent exits, may take to appear. */
const AFTER_EXIT_MS = 90_000

/** The Markdown export of a session in the project's .sessions/, or null while there is none. */
function exportOf(workspace: string, agent: AgentName, id: string): string | null {
  const folder = path.join(workspace, '.sessions', agent)
  if (!existsSync(folder)) return null
  // The front matter's id, quoted or not.
  const namesIt = (text: string) => text.split('\n').some((line) => line.replaceAll(/["']/g, '') === `id: ${id}`)
  const texts = readdirSync(folder)
    .filter((file) => file.endsWith('.md'))
    .map((file) => readFileSync(path.join(folder, file), 'utf8'))
  return texts.find(namesIt) ?? null
}

/** Waits until `done` holds, for `ms` at most. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
}

describe('export as the agents work (the README recipes)', function () {
  const runs = agentRuns('sessionsync-recipes-')

  it('the README gives each recipe as it is tested here', function () {
    const readme = readFileSync(path.join(AGENTS_DIR, '../../README.md'), 'utf8')
    for (const agent of AGENTS) expect(readme, `the README's ${agent.name} recipe`).to.include(readmeBlock(RECIPES[agent.name](INSTALLED)))
  })

  for (const agent of AGENTS) {
    it(`${agent.id} exports its session into the project's .sessions/ itself`, async function () {
      const {run, step} = startRun(this, runs, agent)
      const {folders} = run
      agent.prepareExtensions(folders)
      const recipe = installRecipe(agent.name, folders.workspace, {command: process.execPath, args: [CLI]})
      const done = await step('other', agent.newSession(PROMPTS.other))

      // Quiet: the agent answers as it would without the recipe, and reports no hook, plugin or extension failing.
      expect(done.stdout, 'the answer the agent printed').to.include(TEXTS.otherFinal)
      expect(done.stderr, "the agent's stderr").to.not.match(/hook|plugin|extension/i)
      const ids = agent.sessionIds(folders)
      expect(ids, 'sessions the agent stored').to.have.length(1)
      const index = path.join(folders.workspace, '.sessions', 'INDEX.md')
      // The index is written last.
      await until(() => existsSync(index), recipe.beforeExit ? 0 : AFTER_EXIT_MS)
      const exported = exportOf(folders.workspace, agent.name, ids[0])
      expect(exported, `the export of ${ids[0]} in ${folders.workspace}/.sessions/${agent.name}/`).to.be.a('string')
      expect(exported, 'the export holds the last reply').to.include(TEXTS.otherFinal)
      expect(existsSync(index), 'INDEX.md').to.equal(true)
    })
  }
})
