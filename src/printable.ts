/** Every control character; the same without line breaks and tabs, for text printed as lines. */
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g
const CONTROLS_BUT_LAYOUT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g

/**
 * Text from a session made safe to print on a terminal: control characters (an escape sequence
 * in a tool's output could move the cursor, retitle the window or hide what follows) are shown
 * as the symbols Unicode has for them (␛ for escape), or as � when it has none. `lines` keeps
 * line breaks and tabs, for a whole text rather than one line of a table.
 */
export function printable(text: string, {lines = false} = {}): string {
  return text.replaceAll(lines ? CONTROLS_BUT_LAYOUT : CONTROLS, (control) => {
    const code = control.charCodeAt(0)
    return code < 0x20 ? String.fromCharCode(0x24_00 + code) : code === 0x7f ? '\u2421' : '\uFFFD'
  })
}
