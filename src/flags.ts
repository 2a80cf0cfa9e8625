import * as Flags from '@oclif/core/flags'

/** Where exports go unless --output says otherwise (relative to the current folder). */
export const DEFAULT_OUTPUT = '.sessions'

/** Flags that choose which sessions: shared by every command that looks at sessions. */
export const selectionFlags = {
  agent: Flags.string({char: 'a', default: 'all', description: 'Agent to read: claude, opencode, pi (or any installed reader plugin), or all.', helpValue: 'AGENT'}),
  branch: Flags.string({char: 'b', description: 'Only sessions recorded on this git branch (at any point of the session).', helpValue: 'NAME'}),
  session: Flags.string({description: 'Only this session: its id, the start of it, or its short id (in file names and in sessionsync list). Repeat for more. Its subagents come with it.', helpValue: 'ID', multiple: true, multipleNonGreedy: true}),
  since: Flags.string({description: 'Only sessions active since then: a date (2026-11-01, from midnight here), a time (2026-11-01T14:00), or an age (90m, 12h, 7d, 2w). Sessions with no time at all are kept.', helpValue: 'WHEN'}),
  'no-subagents': Flags.boolean({default: false, description: 'Skip subagent (child) sessions.'}),
  verbose: Flags.boolean({char: 'v', default: false, description: 'Explain what is skipped and why: unknown records, ignored lines, per-session details.'}),
  workspace: Flags.string({char: 'w', description: 'Only sessions whose working directory is this folder or inside it. Default: the current folder. Use / for all.', helpValue: 'PATH'}),
}

/** Flags that shape the exported files. */
export const exportFlags = {
  'all-branches': Flags.boolean({default: false, description: 'Also export the branches a session left behind (where the user went back in Pi or rewound in Claude Code), each as a session forked from the main one.'}),
  'no-attachments': Flags.boolean({default: false, description: 'Drop images and files.'}),
  force: Flags.boolean({default: false, description: 'Export every session again, even those whose export is up to date.'}),
  format: Flags.string({char: 'f', default: 'markdown', description: 'Output format: markdown, json, toon (or any installed writer plugin).', helpValue: 'FORMAT'}),
  'max-output-chars': Flags.integer({description: 'Cut tool outputs longer than this many characters in the middle, with a marker saying how much was cut. Default: keep them whole.', helpValue: 'N', min: 100}),
  output: Flags.string({char: 'o', default: DEFAULT_OUTPUT, description: 'Folder to export into.', helpValue: 'DIR'}),
  redact: Flags.boolean({allowNo: true, description: 'Replace secrets (API keys, tokens, private keys, passwords in URLs, KEY=value assignments of secret-looking names) with [REDACTED:<kind>] in everything exported. Default: on for a folder exported with it before, or with SESSIONSYNC_REDACT=1.', env: 'SESSIONSYNC_REDACT'}),
  'no-thinking': Flags.boolean({default: false, description: 'Drop thinking blocks.'}),
  'no-tools': Flags.boolean({default: false, description: 'Drop tool calls and their results, but for a call that started a subagent: the link to its session.'}),
}
