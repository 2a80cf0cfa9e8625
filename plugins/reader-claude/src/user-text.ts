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
}

const tag = (name: string, text: string): string | null => {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)
  return match ? match[1].trim() : null
}

const REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g
const CAVEAT = /<local-command-caveat>[\s\S]*?<\/local-command-caveat>/g
const INTERRUPTED = /^\[Request interrupted by user[^\]]*\]$/

/** Text with Claude Code's reminders to the model taken out. */
export function withoutReminders(text: string): string {
  return (text.includes('<system-reminder>') ? text.replace(REMINDER, '') : text).trim()
}

export function readUserText(raw: string): UserText {
  const text = withoutReminders(raw.replace(CAVEAT, ''))
  const event = (kind: string, body: string) => ({events: [{kind, text: body, type: 'event' as const}], said: null})
  if (text === '') return {events: [], said: null}
  if (INTERRUPTED.test(text)) return event('interrupted', text.slice(1, -1))

  const command = tag('command-name', text)
  if (command !== null) {
    const args = tag('command-args', text)
    const name = command.startsWith('/') ? command : `/${command}`
    return {events: [], said: args ? `${name} ${args}` : name}
  }

  const stdout = tag('local-command-stdout', text)
  if (stdout !== null) return event('command_output', stdout)
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
