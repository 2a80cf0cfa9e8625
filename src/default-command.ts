/** Flags oclif itself answers at the top level; anything else without a command means `sync`. */
const TOP_LEVEL_FLAGS = new Set(['--help', '-h', '--version'])

/**
 * oclif has no default command for a multi-command CLI, so a bare `sessionsync [flags]`
 * is routed to `sync` here: no arguments at all, or a first argument that is a flag or a path.
 */
export function routeToDefaultCommand(argv: string[]): string[] {
  const [first] = argv
  if (first === undefined) return ['sync']
  if (first.startsWith('-') && !TOP_LEVEL_FLAGS.has(first)) return ['sync', ...argv]
  // A path, where no command has one (`sessionsync ~/code/app`): sync says to give it with -w.
  if (/[/\\]|^\.{1,2}$|^~/.test(first)) return ['sync', ...argv]
  return argv
}
