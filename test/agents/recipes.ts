/**
 * "Export as the agents work": the file that makes each agent run sessionsync itself after each
 * reply and when a session ends, exactly as the README gives it. The README shows each one
 * starting `sessionsync`; the conformance suite starts this checkout's bin/run.js with node.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import type {AgentName} from './agents.js'

/** How sessionsync is started: a command and the arguments that come before sessionsync's own. */
export interface Program {
  command: string
  args: string[]
}

export const INSTALLED: Program = {command: 'sessionsync', args: []}

export interface Recipe {
  /** Where the file goes, relative to the project folder. */
  file: string
  /** The README's code block language. */
  language: string
  text: string
  /** The export is written before the agent's process exits (OpenCode's is written just after). */
  beforeExit: boolean
}

const shellWord = (word: string) => (/^[\w./-]+$/.test(word) ? word : `'${word}'`)
const jsString = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
/** The program's own arguments in a JavaScript array literal, before the recipe's. */
const leadingArgs = (program: Program) => program.args.map((arg) => `${jsString(arg)}, `).join('')

function claude(program: Program): Recipe {
  const sessionsync = [program.command, ...program.args].map(shellWord).join(' ')
  // Quiet and always exit 0: for Claude Code, exit code 2 is a blocking error (after Stop it makes
  // Claude go on), and any other failure is shown to the user. SessionEnd gets 1.5 s unless a
  // hook asks for more: the timeout (seconds) is that budget.
  const hook = {type: 'command', command: `${sessionsync} -a claude -w "$CLAUDE_PROJECT_DIR" -o "$CLAUDE_PROJECT_DIR/.sessions" >/dev/null 2>&1 || true`, timeout: 60}
  // After a reply, in the background: the user does not wait for it. Not at the end, which must
  // finish before Claude Code exits (it ends the background hooks then).
  const settings = {hooks: {Stop: [{hooks: [{...hook, async: true}]}], SessionEnd: [{hooks: [hook]}]}}
  return {file: '.claude/settings.json', language: 'json', text: `${JSON.stringify(settings, null, 2)}\n`, beforeExit: true}
}

function opencode(program: Program): Recipe {
  const text = `// Exports this project's OpenCode sessions into .sessions/ each time OpenCode finishes a reply.
import {spawn} from 'node:child_process'
import path from 'node:path'

export const SessionSync = async ({directory}) => {
  let running = false
  let again = false
  const sync = () => {
    if (running) return void (again = true)
    running = true
    let finished = false
    const done = () => {
      if (finished) return
      finished = true
      running = false
      if (again) {
        again = false
        sync()
      }
    }
    // Detached: \`opencode run\` exits right after its reply, without waiting for plugins.
    spawn(${jsString(program.command)}, [${leadingArgs(program)}'-a', 'opencode', '-w', directory, '-o', path.join(directory, '.sessions')], {cwd: directory, detached: true, stdio: 'ignore'})
      .on('error', done)
      .on('exit', done)
      .unref()
  }
  return {
    event: async ({event}) => {
      if (event.type === 'session.idle') sync()
    },
  }
}
`
  return {file: '.opencode/plugin/sessionsync.js', language: 'js', text, beforeExit: false}
}

function pi(program: Program): Recipe {
  const text = `// Exports this project's Pi sessions into .sessions/ after each reply and when the session ends.
import path from 'node:path'
import type {ExtensionAPI} from '@mariozechner/pi-coding-agent'

export default function (pi: ExtensionAPI) {
  // One run at a time, in order: the last one sees the session as it ended.
  let runs: Promise<unknown> = Promise.resolve()
  const sync = (cwd: string) =>
    (runs = runs.then(() => pi.exec(${jsString(program.command)}, [${leadingArgs(program)}'-a', 'pi', '-w', cwd, '-o', path.join(cwd, '.sessions')], {cwd, timeout: 60_000})))
  // Not awaited: the next prompt does not wait for the export.
  pi.on('agent_end', (_event, ctx) => void sync(ctx.cwd))
  // Awaited: Pi exits once the last export is written (with pi -p too).
  pi.on('session_shutdown', (_event, ctx) => sync(ctx.cwd))
}
`
  return {file: '.pi/extensions/sessionsync.ts', language: 'ts', text, beforeExit: true}
}

export const RECIPES: Record<AgentName, (program: Program) => Recipe> = {claude, opencode, pi}

/** Puts an agent's recipe into a project folder. */
export function installRecipe(agent: AgentName, project: string, program: Program): Recipe {
  const recipe = RECIPES[agent](program)
  const file = path.join(project, recipe.file)
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, recipe.text)
  return recipe
}

/** The recipe as the README shows it, in a fenced code block. */
export const readmeBlock = (recipe: Recipe) => `\`\`\`${recipe.language}\n${recipe.text}\`\`\`\n`
