import type {IndexEntry} from '../model/index-document.js'

/** A session listed at the top level and its subagents under it: never split between files. */
export interface Family {
  /** When the session at the top was last active: where the family is filed. */
  time: string
  members: Array<{depth: number; entry: IndexEntry}>
}

/** A calendar range of the earlier sessions, which one index file lists. */
interface CalendarRange {
  /** The file's name is `INDEX-<name>.md`. */
  name: string
  /** The range as INDEX.md's link to the file reads. */
  label: string
  /** What the listed sessions have in common, as the file's first line says it. */
  when: string
}

export interface IndexPart extends CalendarRange {
  families: Family[]
}

/** What stands for the time of a session whose agent recorded none. */
export const UNDATED = 'undated'
/** A time a range finer than a month can be found from: the agents record ISO 8601 times in UTC. */
const ISO_HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}/
const DAY_MS = 86_400_000

/** A month's file, or a part of a busy one's (`2026-11-20`, `2026-10-26-to-31`, `2026-11-20T09`). */
const PART_FILE = /^INDEX-(?:\d{4}-\d{2}(?:-\d{2}(?:-to-\d{2}|T\d{2})?)?|undated)\.md$/

/** Whether a file name is that of a file of the earlier sessions, which sessionsync writes and removes. */
export function isEarlierIndexFile(name: string): boolean {
  return PART_FILE.test(name)
}

export function partFile(name: string): string {
  return `INDEX-${name}.md`
}

/**
 * The earlier families (newest first) by month, newest first, each month in the files it is
 * written in: one while it holds at most `lines` lines, else a file per ISO week (Monday to
 * Sunday, cut at the month's ends), and a week that still holds more a file per day, a day a
 * file per hour. The parts are ranges of the calendar, not so many lines counted from the
 * oldest: a session that lands in one changes that file alone, and teams who commit the folder
 * see the other files, and their names, stay as they were. A week comes first so that a month
 * only a little too full gets a few files, not one per day. A family is never split, and one
 * hour holding more than `lines` stays one file.
 */
export function calendarParts(families: Family[], lines: number): Map<string, IndexPart[]> {
  const months = new Map<string, IndexPart[]>()
  for (const {range, families: listed} of grouped(families, monthOf)) months.set(range.name, partsOf(range, listed, [weekOf, dayOf, hourOf], lines))
  return months
}

/** A range's families in one file while they fit, else in the finer ranges of the next level that fit. */
function partsOf(range: CalendarRange, families: Family[], finer: Array<(time: string) => CalendarRange>, lines: number): IndexPart[] {
  const [level, ...rest] = finer
  if (!level || linesIn(families) <= lines || !families.every(({time}) => ISO_HOUR.test(time))) return [{...range, families}]
  const parts = grouped(families, level).flatMap((group) => partsOf(group.range, group.families, rest, lines))
  // All last active within one hour: the range keeps its name, as a finer one holds no fewer.
  return parts.length > 1 ? parts : [{...range, families}]
}

/** Families by range, in the order of the first of each (newest first, as the families are). */
function grouped(families: Family[], rangeOf: (time: string) => CalendarRange): Array<{families: Family[]; range: CalendarRange}> {
  const groups = new Map<string, {families: Family[]; range: CalendarRange}>()
  for (const family of families) {
    const range = rangeOf(family.time)
    const group = groups.get(range.name)
    if (group) group.families.push(family)
    else groups.set(range.name, {families: [family], range})
  }

  return [...groups.values()]
}

export function linesIn(families: Family[]): number {
  return families.reduce((sum, {members}) => sum + members.length, 0)
}

function monthOf(time: string): CalendarRange {
  const month = time.slice(0, 7)
  return month ? {label: month, name: month, when: `last active in ${month} (UTC)`} : {label: UNDATED, name: UNDATED, when: 'whose agent recorded no time'}
}

function weekOf(time: string): CalendarRange {
  const day = Date.parse(time.slice(0, 10))
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS
  const month = time.slice(0, 7)
  const monthEnd = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10)
  const [mondayText, sundayText] = [dayText(monday), dayText(monday + 6 * DAY_MS)]
  const first = mondayText.startsWith(month) ? mondayText : `${month}-01`
  const last = sundayText.startsWith(month) ? sundayText : monthEnd
  return first === last ? dayRange(first) : {label: `${first} to ${last}`, name: `${first}-to-${last.slice(8)}`, when: `last active from ${first} to ${last} (UTC)`}
}

function dayOf(time: string): CalendarRange {
  return dayRange(time.slice(0, 10))
}

function dayRange(day: string): CalendarRange {
  return {label: day, name: day, when: `last active on ${day} (UTC)`}
}

function hourOf(time: string): CalendarRange {
  const [day, hour] = [time.slice(0, 10), time.slice(11, 13)]
  const hours = `${hour}:00 to ${hour}:59`
  return {label: `${day} ${hours}`, name: `${day}T${hour}`, when: `last active on ${day} from ${hours} (UTC)`}
}

function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
