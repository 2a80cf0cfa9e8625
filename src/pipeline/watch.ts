import {type FSWatcher, watch} from 'chokidar'
import {type Dirent, existsSync} from 'node:fs'
import nodePath from 'node:path'
import {pathInside} from '../display-path.js'
import type {Reader} from '../plugin-api.js'
import type {Discovery} from './discover.js'
import {EntryListener} from './entry-listener.js'
import {folderEntries, FolderListings} from './folder-listings.js'
import {keptIn} from './kept.js'
import {PacedRecords, WATCH_RECORDS_MS} from './paced-records.js'
import {type Log, readerContext} from './plan.js'
import {keepForRewrites} from './rewrite-cache.js'
import {runSync, savePendingRecords, type SyncOptions, type SyncReport} from './sync.js'
import {nextExportAt, type PaceState, restAfter} from './watch-pace.js'

const RECENT_CHANGES_MS = 60_000
/**
 * After any change inside a folder it watches, chokidar lists the folder again and looks at each
 * entry (a few hundredths of a millisecond each): in a project folder of 1,300 sessions that cost
 * 27 ms per line an agent wrote, in one of 9,000 160 ms, more than exporting the line.
 */
const LARGE_FOLDER_ENTRIES = 100
/** Entries that appear in a folder watched entry by entry come in bursts: one look for each. */
const LOOK_AFTER_ENTRIES_MS = 100
/**
 * Chokidar drops a file's `change` that comes within this long after the one it told of. A write
 * that lands then, after an export read the file, would wait for the agent's next write: the last
 * lines of a session the agent then left would stay out of its export.
 */
const DROPPED_CHANGES_MS = 50
/** Chokidar's events for files, as opposed to folders (`addDir`, `unlinkDir`). */
const FILE_EVENTS = new Set(['add', 'change', 'unlink'])
/** Chokidar's events for a file or folder that went away (deleted, or moved out of its place). */
const REMOVAL_EVENTS = new Set(['unlink', 'unlinkDir'])

export interface WatchOptions {
  /** Quiet time after the last change before exporting: agents append many lines a second (see `nextExportAt`). */
  debounceMs: number
  /** How often to look again for what to watch: agents installed since, new folders (see `Reader.watchPaths`). */
  locateIntervalMs: number
  /** At most how often the state file and the index are saved (see `PacedRecords`); `WATCH_RECORDS_MS` by default. */
  recordsMs?: number
  /** A folder of more entries than this is watched entry by entry (see `ExportWatcher.targets`); `LARGE_FOLDER_ENTRIES` by default. */
  largeFolderEntries?: number
  /** How long after a change chokidar told of it drops the next ones of the file; `DROPPED_CHANGES_MS` by default. */
  droppedChangesMs?: number
  /** Called after every export run, for the command's one-line-per-file log (and for tests). */
  onExport?(report: SyncReport): void
}

/**
 * Keeps the exports current: watches what each reader says holds its sessions, and after a
 * burst of changes re-runs the pipeline for the readers that changed. Unchanged sessions are
 * skipped by their fingerprints, so only the sessions that changed are read and written again.
 * Exports never overlap, and are paced by `nextExportAt`.
 */
export class ExportWatcher {
  private readonly watcher: FSWatcher = watch([], {ignoreInitial: true, ignorePermissionErrors: true})
  private readonly watching = new Set<string>()
  /** Watched paths that went away: chokidar stops watching them, and does not see them come back. */
  private readonly gone = new Set<string>()
  /** Folders a reader named that are watched entry by entry, not whole (see `targets`). */
  private readonly byEntry = new Set<string>()
  /** Those of them that are not there (see `foldersCameOrWent`). */
  private readonly byEntryAway = new Set<string>()
  /** Their entries, listed again by a look only when some arrived or left. */
  private readonly listings = new FolderListings()
  /** Brings a look as soon as an entry appears in one of them or leaves it: a new session is seen at once. */
  private readonly entries = new EntryListener(() => this.lookSoon())
  private lookTimer: NodeJS.Timeout | undefined
  private readonly dirty = new Set<Reader>()
  /** Per reader: files an agent wrote, created or deleted, and when it last did. */
  private readonly changedFiles = new Map<Reader, Map<string, number>>()
  /** Readers where a folder appeared or went away: their next export discovers everything. */
  private readonly discoverWhole = new Set<Reader>()
  private readonly lastDiscoveries = new Map<Reader, Discovery>()
  private readonly pathOwners = new Map<string, Reader>()
  private timer: NodeJS.Timeout | undefined
  private locateTimer: NodeJS.Timeout | undefined
  private readonly records: PacedRecords
  private recordsTimer: NodeJS.Timeout | undefined
  private running: Promise<void> = Promise.resolve()
  private exporting = false
  private stopped = false
  private readonly pace: PaceState = {firstChangeAt: 0, lastChangeAt: 0, lastExportEndedAt: 0, lastExportCostMs: 0}

  constructor(
    private readonly options: SyncOptions,
    private readonly watchOptions: WatchOptions,
    private readonly log: Log,
  ) {
    this.records = new PacedRecords(watchOptions.recordsMs ?? WATCH_RECORDS_MS)
    keepForRewrites()
    this.watcher.on('all', (event, changed) => this.changed(event, changed))
    this.watcher.on('error', (error) => log.warn(`watching failed: ${(error as Error).message}`))
  }

  /** Starts watching every installed reader, and keeps looking for the others. */
  async start(): Promise<void> {
    const found = await this.pathsToWatch()
    // Stopped while locating: nothing is to be watched, nor looked for again.
    if (this.stopped) return
    // Every path added at once, listened for first: chokidar says it is ready only once, when the
    // paths added so far are watched, so one added after an earlier reader's would be missed.
    const ready = new Promise<void>((resolve) => this.watcher.once('ready', () => resolve()))
    this.watch(found)
    this.locateTimer = setInterval(() => void this.locate(), this.watchOptions.locateIntervalMs)
    if (this.watching.size > 0) await ready
  }

  /** An export is under way, or changes wait for one. */
  get busy(): boolean {
    return this.exporting || this.dirty.size > 0
  }

  /**
   * Stops after the export under way (if any) has finished, and after exporting the changes that
   * waited for one (for quiet, or for the rest after an export): stopped right after an agent's
   * last line, the export has it. Its records are saved: no half-written file is left.
   */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    clearTimeout(this.recordsTimer)
    clearInterval(this.locateTimer)
    clearTimeout(this.lookTimer)
    this.entries.stop()
    await this.watcher.close()
    await this.running
    if (this.dirty.size > 0) {
      // No look follows this export: it waits out the time in which chokidar drops a next write.
      const unheard = Math.max(0, ...[...this.dirty].map((reader) => this.droppedUntil(reader))) - Date.now()
      if (unheard > 0) await new Promise((resolve) => setTimeout(resolve, unheard))
      this.running = this.exportDirty(true)
      await this.running
    }

    await this.saveRecords()
  }

  /** Resolves once no export is running or waiting. */
  async idle(): Promise<void> {
    while (this.timer || this.dirty.size > 0) await new Promise((resolve) => setTimeout(resolve, 20))
    await this.running
  }

  private async locate(): Promise<void> {
    this.watch(await this.pathsToWatch())
  }

  private lookSoon(): void {
    if (this.lookTimer || this.stopped) return
    this.lookTimer = setTimeout(() => {
      this.lookTimer = undefined
      void this.locate()
    }, LOOK_AFTER_ENTRIES_MS)
  }

  /** What each installed reader says holds its sessions now. */
  private async pathsToWatch(): Promise<Map<Reader, string[]>> {
    const found = new Map<Reader, string[]>()
    for (const reader of this.options.readers) {
      const ctx = readerContext(reader, this.options, this.log, {count: 0})
      try {
        const roots = await reader.locate(ctx)
        if (roots.length > 0) found.set(reader, reader.watchPaths?.(roots, ctx) ?? roots)
      } catch (error) {
        this.log.debug(`${reader.displayName}: cannot watch: ${(error as Error).message}`)
      }
    }

    return found
  }

  /**
   * Watches the paths not watched yet (two looks may overlap, when a locate is slow), and again
   * those that went away and are back.
   */
  private watch(found: Map<Reader, string[]>): void {
    // A look that ended after stop: adding paths would open the closed watcher again.
    if (this.stopped) return
    for (const reader of this.foldersCameOrWent()) this.rediscover(reader)
    for (const [reader, named] of found) {
      const {files, paths} = this.targets(reader, named)
      const back = paths.filter((path) => this.gone.has(path) && existsSync(path))
      const fresh = [...paths.filter((path) => !this.watching.has(path)), ...back]
      if (fresh.length === 0) continue
      // What chokidar still holds of a path that is back is of the one that went: let go first.
      this.watcher.unwatch(back)
      for (const path of fresh) {
        this.watching.add(path)
        this.gone.delete(path)
        this.pathOwners.set(path, reader)
      }

      this.watcher.add(fresh)
      this.log.debug(`${reader.displayName}: watching ${fresh.length > 3 ? `${fresh.length} paths, among them ${fresh.slice(0, 3).join(', ')}` : fresh.join(', ')}`)
      // What appeared after watching started (an agent installed, a new project folder) may
      // hold sessions written before it was watched. A file alone is discovered alone, as one
      // chokidar would have told of.
      this.rediscover(reader, fresh.filter((path) => files.has(path)), fresh.some((path) => !files.has(path)))
    }
  }

  /** After watching started, something of the reader's appeared or went away: discovers `files` alone, or everything. */
  private rediscover(reader: Reader, files: string[] = [], everything = true): void {
    if (this.locateTimer === undefined) return
    for (const file of files) keptIn(this.changedFiles, reader, () => new Map<string, number>()).set(file, Date.now())
    if (everything) this.discoverWhole.add(reader)
    this.markDirty(reader)
  }

  /**
   * The readers with a folder watched entry by entry that went away or came back since the last
   * look: chokidar, watching its entries alone, tells of neither (a file in a folder moved away
   * is still there). The entries of one that went are let go, to be watched afresh when it is back.
   */
  private foldersCameOrWent(): Set<Reader> {
    const readers = new Set<Reader>()
    for (const folder of this.byEntry) {
      const there = existsSync(folder)
      if (there !== this.byEntryAway.has(folder)) continue
      readers.add(this.pathOwners.get(folder)!)
      if (there) {
        this.byEntryAway.delete(folder)
        this.entries.listen(folder)
        continue
      }

      this.byEntryAway.add(folder)
      this.entries.stop(folder)
      this.listings.forget(folder)
      const entries = [...this.watching].filter((path) => nodePath.dirname(path) === folder)
      this.watcher.unwatch(entries)
      for (const path of entries) {
        this.watching.delete(path)
        this.gone.delete(path)
      }
    }

    return readers
  }

  /**
   * What chokidar is given for the paths a reader named. A large folder is given as its entries:
   * its files, and its subfolders whole, which are small (a session's subagents, its tool
   * outputs). A change to a file then costs chokidar a look at that file alone; an entry that
   * appears brings a look for what to watch (`entries`), or is found by the next one, every few
   * seconds. Decided when a folder is first seen, so that one that grows past the limit is not
   * watched twice.
   */
  private targets(reader: Reader, named: string[]): {paths: string[]; files: Set<string>} {
    const paths: string[] = []
    const files = new Set<string>()
    const addEntries = (folder: string, entries: Dirent[]) => {
      for (const entry of entries) {
        const full = nodePath.join(folder, entry.name)
        paths.push(full)
        if (!entry.isDirectory()) files.add(full)
      }
    }

    for (const path of named) {
      // One that went away is not watched itself meanwhile: its entries are, when it is back.
      if (this.byEntry.has(path)) addEntries(path, this.listings.changedEntries(path) ?? [])
      else {
        const entries = this.watching.has(path) ? null : folderEntries(path)
        if (entries !== null && entries.length > (this.watchOptions.largeFolderEntries ?? LARGE_FOLDER_ENTRIES)) {
          this.byEntry.add(path)
          this.pathOwners.set(path, reader)
          this.entries.listen(path)
          addEntries(path, entries)
        } else paths.push(path)
      }
    }

    return {files, paths}
  }

  private changed(event: string, changed: string): void {
    const owner = this.ownerOf(changed)
    if (!owner) return
    // Chokidar stops watching a watched path that goes away, and does not see it come back. Told
    // late, it may be back already: its folder is listed at the next look, changed or not.
    if (REMOVAL_EVENTS.has(event) && this.watching.has(changed)) {
      this.gone.add(changed)
      this.listings.forget(nodePath.dirname(changed))
    }
    // A file written, created or deleted can be discovered alone; a folder that appeared or went away cannot.
    if (FILE_EVENTS.has(event)) keptIn(this.changedFiles, owner, () => new Map<string, number>()).set(changed, Date.now())
    else this.discoverWhole.add(owner)

    this.markDirty(owner)
  }

  /**
   * The reader of the watched path that holds `changed`: the path itself, or the nearest folder
   * above it. Found by looking up, not by comparing with every watched path: thousands may be
   * watched, each file of a large folder. Paths watched in another spelling (a trailing
   * separator) are compared with it.
   */
  private ownerOf(changed: string): Reader | undefined {
    for (let path = changed; ; path = nodePath.dirname(path)) {
      const owner = this.pathOwners.get(path)
      if (owner) return owner
      if (nodePath.dirname(path) === path) return [...this.pathOwners].find(([watched]) => pathInside(changed, watched) !== null)?.[1]
    }
  }

  /**
   * The files the reader's agent changed in the last minute, not only since the last export: the
   * watcher folds a write that follows another within milliseconds into the first one's event,
   * and the export may have looked at the file between the two.
   */
  private recentlyChanged(reader: Reader): Set<string> {
    const changed = this.changedFiles.get(reader) ?? new Map<string, number>()
    for (const [file, at] of changed) if (Date.now() - at > RECENT_CHANGES_MS) changed.delete(file)
    return new Set(changed.keys())
  }

  /** Until when chokidar may have dropped a write to one of the reader's files: `DROPPED_CHANGES_MS` after the last change it told of. */
  private droppedUntil(reader: Reader): number {
    return Math.max(0, ...(this.changedFiles.get(reader)?.values() ?? [])) + (this.watchOptions.droppedChangesMs ?? DROPPED_CHANGES_MS)
  }

  private markDirty(reader: Reader): void {
    if (this.stopped) return
    const now = Date.now()
    if (this.dirty.size === 0) this.pace.firstChangeAt = now
    this.pace.lastChangeAt = now
    this.dirty.add(reader)
    this.schedule()
  }

  private schedule(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.due(), Math.max(0, nextExportAt(this.pace, this.watchOptions.debounceMs) - Date.now()))
  }

  private due(): void {
    this.timer = undefined
    // The export under way schedules the next one when it ends, rested.
    if (!this.exporting) this.running = this.exportDirty()
  }

  /** Exports what changed; `last`: the one export of a watch that stops. */
  private async exportDirty(last = false): Promise<void> {
    if ((this.stopped && !last) || this.dirty.size === 0) return
    const readers = [...this.dirty]
    this.dirty.clear()
    const changed = new Map(readers.map((reader) => [reader, this.discoverWhole.has(reader) ? null : this.recentlyChanged(reader)]))
    const droppedUntil = new Map(readers.map((reader) => [reader, this.droppedUntil(reader)]))
    for (const reader of readers) this.discoverWhole.delete(reader)
    this.exporting = true
    const startedAt = Date.now()
    const processorAtStart = process.cpuUsage()
    try {
      const rediscovery = {changed, last: this.lastDiscoveries}
      const report = await runSync({...this.options, explainNothingFound: false, force: false, readers, records: this.records, rediscovery}, this.log)
      this.watchOptions.onExport?.(report)
    } catch (error) {
      this.log.warn(`export failed: ${(error as Error).message}`)
    } finally {
      this.exporting = false
      const processor = process.cpuUsage(processorAtStart)
      this.pace.lastExportEndedAt = Date.now()
      this.pace.lastExportCostMs = Math.max(this.pace.lastExportEndedAt - startedAt, (processor.user + processor.system) / 1000)
      this.log.debug(`that export cost ${Math.round(this.pace.lastExportCostMs)} ms: the next one waits at least ${Math.round(restAfter(this.pace.lastExportCostMs))} ms`)
      // What it recorded and did not save is saved when due, unless an export saves it before.
      if (this.records.pending && !this.recordsTimer && !this.stopped) this.recordsTimer = setTimeout(() => this.recordsDue(), Math.max(0, this.records.dueAt - Date.now()))
      // A write chokidar dropped may have come after the export read the file: looked at once more,
      // the file is found as the export read it (nothing is written), unless such a write came.
      for (const reader of readers) if (startedAt < droppedUntil.get(reader)!) this.markDirty(reader)
      if (this.dirty.size > 0 && !this.stopped) this.schedule()
    }
  }

  /** Saves the records due; an export under way saves them itself, as they are due by its end. */
  private recordsDue(): void {
    this.recordsTimer = undefined
    if (this.exporting || this.stopped) return
    // As an export: one asked for meanwhile waits for it.
    this.exporting = true
    this.running = this.saveRecords().finally(() => {
      this.exporting = false
      if (this.dirty.size > 0 && !this.stopped) this.schedule()
    })
  }

  private async saveRecords(): Promise<void> {
    await savePendingRecords(this.records, this.options, this.log).catch((error: Error) => this.log.warn(`the state file and the index could not be saved: ${error.message}`))
  }
}
