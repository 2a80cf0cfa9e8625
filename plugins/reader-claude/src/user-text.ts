import type {Block} from 'sessionsync'

/**
 * What a piece of user-record text really is. Claude Code stores slash commands, their
 * output, `!` shell commands, background-task notices and its own reminders as text
 * wrapped in XML-like tags; a reader of the export wants the command, not the tags.
 */
export interface UserText {
  /** What the person typed, readable. */
  said: string | null
  /** Things that happened rather than were said (command output, notices). */
  events: Array<Extract<Block, {type: 'event'}>>
  /** The person typed a slash command (`<command-name>`): what it expands to follows. */
  command?: true
}

/*
 * Tags are found with indexOf, not a lazy regular expression: for each opening tag with no
 * closing one, /<a>[\s\S]*?<\/a>/ scans to the end of the text, so a tool output listing
 * thousands of them (a grep through transcripts) took time growing with the square of its size.
 */

/** The text between the first `<name>` and the `</name>` after it, trimmed; null without both. */
function tag(name: string, text: string): string | null {
  const open = `<${name}>`
  const start = text.indexOf(open)
  const end = start === -1 ? -1 : text.indexOf(`</${name}>`, start + open.length)
  return end === -1 ? null : text.slice(start + open.length, end).trim()
}

/** The text without every `<name>…</name>`; an opening tag never closed stays, with what follows it. */
function withoutTagged(name: string, text: string): string {
  const open = `<${name}>`
  const close = `</${name}>`
  let kept = ''
  let from = 0
  for (let start = text.indexOf(open); start !== -1; start = text.indexOf(open, from)) {
    const end = text.indexOf(close, start + open.length)
    // No closing tag after this one, so none after any later one either.
    if (end === -1) break
    kept += text.slice(from, start)
    from = end + close.length
  }

  return from === 0 ? text : kept + text.slice(from)
}

const INTERRUPTED = /^\[Request interrupted by user[^\]]*\]$/
const NO_CONTENT = '(no content)'

/** The file the IDE extension said was open, or the lines selected in it, in the tags of 2.0.x. */
export interface IdeContext {
  file: string
  lineStart: number | null
  lineEnd: number | null
}

/** A text block that only tells the model what the person had open or selected in their IDE; null for any other. */
export function ideContext(text: string): IdeContext | null {
  const opened = /^<ide_opened_file>The user opened the file (.+?) in the IDE\./.exec(text)
  if (opened) return {file: opened[1], lineEnd: null, lineStart: null}
  const selected = /^<ide_selection>The user selected the lines (\d+) to (\d+) from (.+?):\n/.exec(text)
  return selected ? {file: selected[3], lineEnd: Number(selected[2]), lineStart: Number(selected[1])} : null
}

/**
 * The line a prompt is titled by: its first, up to 200 characters. A line that only leads in to
 * the next ("Implement the following plan:", which starts the session a plan is carried out in)
 * takes that line along.
 */
export function promptTitle(text: string): string {
  const [first = '', next] = text.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  return (first.endsWith(':') && next ? `${first} ${next.replace(/^#+\s*/, '')}` : first).slice(0, 200)
}

/** Text with Claude Code's reminders to the model taken out. */
export function withoutReminders(text: string): string {
  return withoutTagged('system-reminder', text).trim()
}

export function readUserText(raw: string): UserText {
  const text = withoutReminders(withoutTagged('local-command-caveat', raw))
  // A command that printed nothing (`/remote-control`, `! true`) leaves no empty event behind.
  const event = (kind: string, body: string) => ({events: body === '' ? [] : [{kind, text: body, type: 'event' as const}], said: null})
  if (text === '') return {events: [], said: null}
  if (INTERRUPTED.test(text)) return event('interrupted', text.slice(1, -1))

  const command = tag('command-name', text)
  if (command !== null) {
    const args = tag('command-args', text)
    const name = command.startsWith('/') ? command : `/${command}`
    return {command: true, events: [], said: args ? `${name} ${args}` : name}
  }

  const stdout = tag('local-command-stdout', text)
  // Claude Code's placeholder for a command that printed nothing.
  if (stdout !== null) return event('command_output', stdout === NO_CONTENT ? '' : stdout)
  const bash = tag('bash-input', text)
  if (bash !== null) return {events: [], said: `! ${bash}`}
  const shellOutput = [tag('bash-stdout', text), tag('bash-stderr', text)].filter((part) => part)
  if (shellOutput.length > 0 || /^<bash-stdout>/.test(text)) return event('shell_output', shellOutput.join('\n'))
  if (text.startsWith('<task-notification>')) {
    const parts = [tag('summary', text), tag('result', text)].filter((part) => part)
    return event('task_notification', parts.length > 0 ? parts.join('\n\n') : text)
  }

  const memory = tag('user-memory-input', text)
  if (memory !== null) return {events: [], said: `# ${memory}`}
  return {events: [], said: text}
}
