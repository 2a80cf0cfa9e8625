import type {Interfaces} from '@oclif/core'
import {type Checked, checkedReader, checkedWriter, contributedLists} from './contributions.js'
import {withOutputChecked} from './output-checked-writer.js'
import {type Reader, REGISTER_EVENT, type Writer} from './plugin-api.js'
import {byCodeUnits} from './unchanged-run/stamp.js'

export interface Registry {
  readers: Map<string, Reader>
  writers: Map<string, Writer>
  /**
   * The plugin each reader and writer came from: named when another contributes the same name,
   * and its version shapes the exports (a new one exports again what it reads or writes).
   */
  origins: Map<Reader | Writer, {name: string; version: string}>
  /** Plugins that failed to register or contributed something malformed; shown, never fatal. */
  problems: string[]
}

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
  const registry: Registry = {origins: new Map(), problems: [], readers: new Map(), writers: new Map()}
  const {failures, successes} = await config.runHook(REGISTER_EVENT, {}, undefined, true)
  for (const {error, plugin} of failures) registry.problems.push(`plugin ${plugin.name} failed to register: ${error.message}`)
  for (const {plugin, result} of successes.sort(byPrecedence(config))) {
    const lists = contributedLists(result)
    if ('problem' in lists) {
      registry.problems.push(`plugin ${plugin.name} contributed nothing usable: ${lists.problem}; ignored`)
      continue
    }

    for (const reader of lists.readers) add(registry, plugin, 'reader', registry.readers, checkedReader(reader))
    for (const writer of lists.writers) {
      const checked = checkedWriter(writer)
      add(registry, plugin, 'writer', registry.writers, 'problem' in checked ? checked : {...checked, item: withOutputChecked(checked.item, plugin.name)})
    }
  }

  return registry
}

function add<T extends Reader | Writer>(registry: Registry, plugin: Interfaces.Plugin, kind: string, into: Map<string, T>, checked: Checked<T>): void {
  if ('problem' in checked) {
    registry.problems.push(`plugin ${plugin.name} contributed a malformed ${kind}: ${checked.problem}; ignored`)
    return
  }

  const kept = into.get(checked.name)
  if (kept === undefined) {
    into.set(checked.name, checked.item)
    registry.origins.set(checked.item, {name: plugin.name, version: plugin.version})
  } else {
    registry.problems.push(`plugin ${plugin.name} contributed a ${kind} named "${checked.name}", which plugin ${registry.origins.get(kept)?.name} contributes already; ${plugin.name}'s is ignored`)
  }
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
