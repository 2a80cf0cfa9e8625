import {type FSWatcher, watch} from 'node:fs'

/**
 * Tells when entries appear in folders or leave them, and nothing more, with Node's own watcher:
 * it reports such a change as `rename`, and the `change` that every line appended to a file
 * brings is let go without a look at the folder. Where a folder cannot be listened to (no watch
 * left, gone meanwhile), watch's next look still finds what appeared.
 */
export class EntryListener {
  private readonly listening = new Map<string, FSWatcher>()

  constructor(private readonly entriesChanged: () => void) {}

  listen(folder: string): void {
    if (this.listening.has(folder)) return
    try {
      // Not persistent: chokidar keeps watch running, this alone must not.
      const watcher = watch(folder, {persistent: false}, (event) => event === 'rename' && this.entriesChanged())
      watcher.on('error', () => this.stop(folder))
      this.listening.set(folder, watcher)
    } catch {
      // Found at the next look instead.
    }
  }

  /** Stops listening to `folder`, or to every folder. */
  stop(folder?: string): void {
    for (const [listened, watcher] of this.listening) {
      if (folder !== undefined && listened !== folder) continue
      watcher.close()
      this.listening.delete(listened)
    }
  }
}
