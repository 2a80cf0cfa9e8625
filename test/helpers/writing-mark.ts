import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {HOST_TAG} from '../../src/pipeline/runs.js'
import {WRITING_FOLDER} from '../../src/pipeline/writing-runs.js'

/** A run of this machine that is gone: no process has this id (above Linux's largest). */
export const KILLED_RUN = {host: HOST_TAG, pid: 2 ** 22 + 1, run: 'killed-run'}

/** Leaves the writing mark of another run in the output folder `root`, as that run would write it, with `more` in it. */
export function leaveWritingMark(root: string, holder: {host: string; pid: number; run: string}, more: object = {}): void {
  mkdirSync(path.join(root, WRITING_FOLDER), {recursive: true})
  writeFileSync(path.join(root, WRITING_FOLDER, `${holder.pid}-${holder.host}-${holder.run}.json`), JSON.stringify({...holder, ...more}))
}
