import type {Interfaces} from '@oclif/core'
import {type Contribution, type Reader, REGISTER_EVENT, type Writer} from './plugin-api.js'
import {byCodeUnits} from './unchanged-run/stamp.js'

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
  // Who contributed each name, for the message when another plugin contributes it too.
  const owners = new Map<string, string>()
  for (const {plugin, result} of successes.sort(byPrecedence(config))) {
    const contribution = (result ?? {}) as Contribution
    const add = <T>(into: Map<string, T>, kind: string, item: T, name: unknown, wellFormed: boolean) => {
      if (!wellFormed || typeof name !== 'string' || !NAME.test(name)) {
        registry.problems.push(`plugin ${plugin.name} contributed a malformed ${kind}; ignored`)
      } else if (into.has(name)) {
        registry.problems.push(`plugin ${plugin.name} contributed a ${kind} named "${name}", which plugin ${owners.get(`${kind} ${name}`)} contributes already; ${plugin.name}'s is ignored`)
      } else {
        into.set(name, item)
        owners.set(`${kind} ${name}`, plugin.name)
      }
    }

    for (const reader of contribution.readers ?? []) add(registry.readers, 'reader', reader, reader?.agent, isReader(reader))
    for (const writer of contribution.writers ?? []) add(registry.writers, 'writer', writer, writer?.format, isWriter(writer))
  }

  return registry
}

/**
 * The order in which plugins get the names they contribute: sessionsync's own plugins (the root,
 * and those its package.json lists) first, so that no plugin installed later takes over a built-in
 * agent or format; then the others by name. oclif lists the hooks in the order they finish in,
 * which differs from run to run.
 */
function byPrecedence(config: Interfaces.Config): (a: {plugin: Interfaces.Plugin}, b: {plugin: Interfaces.Plugin}) => number {
  const builtIn = new Set([config.name, ...(config.pjson.oclif.plugins ?? [])])
  const rank = (plugin: Interfaces.Plugin) => (builtIn.has(plugin.name) ? 0 : 1)
  return (a, b) => rank(a.plugin) - rank(b.plugin) || byCodeUnits(a.plugin.name, b.plugin.name)
}

function isReader(value: Reader): boolean {
  return typeof value?.locate === 'function' && typeof value.discover === 'function' && typeof value.read === 'function'
}

function isWriter(value: Writer): boolean {
  return typeof value?.render === 'function' && typeof value.extension === 'string' && /^[a-z0-9]+$/i.test(value.extension)
}
