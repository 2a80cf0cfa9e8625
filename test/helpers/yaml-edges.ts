/** Strings at every edge of YAML's plain style: what a writer of YAML and a reader of it are tried on. */
export const YAML_EDGE_STRINGS = [
  'src/app.ts', 'Print a marker', 'npm test', "grep -n 'x' src/*.ts | head", 'echo "$HOME" && ls -la > out.txt', 'https://example.com/a?b=c#d',
  '2026-11-25T05:49:40.443Z', 'claude-sonnet-4-5', 'a: b', 'a #b', 'a#b', 'ends:', 'ends ', ' starts', '- item', '-flag', '? x', '?x', ':x', 'x:y',
  '#hash', '&anchor', '*alias', '!tag', '|pipe', '>fold', "'single'", '"double"', "it's:", 'say "hi":', 'back\\slash:', '%percent', '@at', '`tick`', '[list]', '{map}', ',comma',
  'yes', 'no', 'on', 'off', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'NULL', 'Null', '~', 'null', '.NaN', '.NAN', '-.inf', '+.INF', '42', '-7', '+3', '0x1F', '0o17', '1.5', '.5', '1e3', '-1.5E-3', '.inf', '-.Inf', '.nan',
  // Quoted by the library in single quotes: a `"` and no `'`.
  '    entry.error = record.buffer ?? "handler"', ' "lead"', '"q": x', '"double" ends ', '- "item"', '#"hash"', '  back\\slash "q"', '"a"', 'say "hi" it\'s:', '--- "x"', '  a "b"\tc', '"🙂" ',
  '---', '...', '--- x', '%YAML', 'line\nbreak', 'tab\there', 'two  spaces', 'emoji 🙂', 'ünïcödé 日本', 'a\u2028b', '', 'x'.repeat(500),
  // Several lines: literal blocks, or quotes.
  'a\nb', 'a\nb\n', 'a\nb\n\n', 'a\n\n', 'a\n', '\na', '\n', '\n\n', ' a\nb', '  a\n b\n', '\ta\nb', 'a\n\n\nb', 'a \nb', 'a\n b', 'a\t\nb',
  'a\n ', 'a\n\t', 'a \n', 'a\t', 'a\n \n', 'a\n\n \n', 'x: y\n#c', '- a\n- b\n', '---\nfront: matter\n---\n', 'a\n...\nb', '%x\ny', '"q"\nb', "'q'\nb",
  'a\r\nb', 'a\u0001\nb', 'a\u0085\nb', 'a\u2028\nb', '\ufeffa\nb', 'emoji 🙂\nnext', 'cut \ud83d\nnext', '|\nb', '>\nb', 'a: |\n  b\n',
  'def f():\n    return 1\n\n\nprint(f())\n', '    indented();\n  }\n', '  \nx', ' \n', '\n a', ' \n\nx', ' \tmixed\nx', '   ', '  a\n\n', ' a\n ', `${'long line '.repeat(100)}\n${'x'.repeat(2000)}`,
]
