import {inspect} from 'node:util'
import {oneLine} from './kit/one-line.js'

/** A value a plugin gave where something else was due, as a message shows it: short, on one line. */
export function shownValue(value: unknown): string {
  return oneLine(inspect(value, {breakLength: Number.POSITIVE_INFINITY, depth: 0}), 60)
}
