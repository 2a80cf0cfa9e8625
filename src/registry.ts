import type {Interfaces} from '@oclif/core'
import {type Contribution, type Reader, REGISTER_EVENT, type Writer} from './plugin-api.js'

export interface Registry {
  readers: Map<string, Reader>
  writers: Map<string, Writer>
  /** Plugins that failed to register or contributed something malformed; shown, never fatal. */
  problems: string[]
}

const NAME = /^[a-z][a-z0-9-]*$/
const registries = new Map<string, Promise<Registry>>()

/**
 * Collects the readers and writers every installed plugin contributes through the
 * `sessionsync:register` hook: the core imports no plugin by name, so a plugin installed
 * later with `sessionsync plugins install` is found exactly like the first-party ones.
 */
export function loadRegistry(config: Interfaces.Config): Promise<Registry> {
  // oclif hands a command a fresh copy of the configuration the init hook saw: keyed by what
  // they share, the registry the init hook started is the one the command gets, and every
  // plugin's register hook runs once.
  const key = `${config.root}\n${[...config.plugins.keys()].join('\n')}`
  let registry = registries.get(key)
  if (!registry) {
    registry = collect(config)
    registries.set(key, registry)
  }

  return registry
}

async function collect(config: Interfaces.Config): Promise<Registry> {
  const registry: Registry = {problems: [], readers: new Map(), writers: new Map()}
  const {failures, successes} = await config.runHook(REGISTER_EVENT, {}, undefined, true)
  for (const {error, plugin} of failures) registry.problems.push(`plugin ${plugin.name} failed to register: ${error.message}`)
  for (const {plugin, result} of successes) {
    const contribution = (result ?? {}) as Contribution
    for (const reader of contribution.readers ?? []) add(registry, registry.readers, plugin.name, 'reader', reader, reader?.agent, isReader(reader))
    for (const writer of contribution.writers ?? []) add(registry, registry.writers, plugin.name, 'writer', writer, writer?.format, isWriter(writer))
  }

  return registry
}

function add<T>(registry: Registry, into: Map<string, T>, pluginName: string, kind: string, item: T, name: unknown, wellFormed: boolean): void {
  if (!wellFormed || typeof name !== 'string' || !NAME.test(name)) {
    registry.problems.push(`plugin ${pluginName} contributed a malformed ${kind}; ignored`)
  } else if (into.has(name)) {
    registry.problems.push(`plugin ${pluginName} contributed a second ${kind} named "${name}"; the first one is kept`)
  } else {
    into.set(name, item)
  }
}

function isReader(value: Reader): boolean {
  return typeof value?.locate === 'function' && typeof value.discover === 'function' && typeof value.read === 'function'
}

function isWriter(value: Writer): boolean {
  return typeof value?.render === 'function' && typeof value.extension === 'string' && /^[a-z0-9]+$/i.test(value.extension)
}
