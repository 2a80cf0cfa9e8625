/**
 * The oldest Node.js sessionsync runs on, as `engines` in package.json says. An older one fails
 * deep inside an export (Node 18: `raw.toWellFormed is not a function`), so it is refused first.
 */
const OLDEST_NODE_MAJOR = 20

/** Why sessionsync cannot run on this version of Node.js (`process.versions.node`), or null when it can. */
export function unsupportedNode(version: string): string | null {
  if (Number.parseInt(version, 10) >= OLDEST_NODE_MAJOR) return null
  return `sessionsync needs Node.js ${OLDEST_NODE_MAJOR} or newer, and this is Node.js ${version}: install a newer one (https://nodejs.org), then run sessionsync again.`
}
