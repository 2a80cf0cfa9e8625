import type {Hook} from '@oclif/core'
import {loadRegistry} from '../registry.js'

/** Commands that run the pipeline and so need every plugin's readers and writers. */
const PIPELINE_COMMANDS = new Set(['sync', 'list', 'watch', 'stats'])

/** Starts collecting readers and writers while oclif is still parsing the command line. */
const hook: Hook<'init'> = async function (options) {
  if (options.id && PIPELINE_COMMANDS.has(options.id)) void loadRegistry(options.config)
}

export default hook
