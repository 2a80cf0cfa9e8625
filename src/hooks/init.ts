import type {Hook} from '@oclif/core'
import {loadRegistry} from '../registry.js'
import {statOrNull} from '../stat-or-null.js'
import {unexpectedArguments} from '../unexpected-arguments.js'

/** Commands that run the pipeline and so need every plugin's readers and writers. */
const PIPELINE_COMMANDS = new Set(['sync', 'list', 'watch', 'stats'])

/** Starts collecting readers and writers while oclif is still parsing the command line. */
const hook: Hook<'init'> = async function (options) {
  if (options.id && PIPELINE_COMMANDS.has(options.id)) void loadRegistry(options.config)
  // A folder named without a path (`sessionsync app`), where no command has that name: refused as
  // a path is (`sessionsync ./app`), with -w pointed to, not as a command sessionsync lacks.
  const {config, id} = options
  if (id && !config.findCommand(id) && !config.findTopic(id) && statOrNull(id)?.isDirectory()) this.error(unexpectedArguments([id], `${config.bin} sync`), {exit: 2})
}

export default hook
