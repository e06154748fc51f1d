// The CLI as a few files: loading ~200 modules one by one cost half of medic's start-up time, but
// one file for everything made every command (even --version) compile and run all of it. So the
// entry (dist/medic.js) holds the command line (commander, every command's options) and each
// command's code is a chunk (dist/medic-<name>-<hash>.js) loaded when that command runs.
// Chunks sit beside the entry so their import.meta.url finds ../runbooks and logs-worker.js alike.
// Drivers stay external (loaded on first use from node_modules).
// The log worker (src/logs/worker.ts) is its own small file, so a worker starts without the CLI.
import { existsSync, readdirSync, rmSync } from 'node:fs'

const dist = new URL('./dist/', import.meta.url)
// Chunk names carry a hash: remove the previous build's, or they pile up.
for (const f of existsSync(dist) ? readdirSync(dist) : []) if (/^medic-.+\.js$/.test(f)) rmSync(new URL(f, dist))

export default [
  {
    input: 'dist/cli/main.js',
    platform: 'node',
    // modules the entry loads anyway (errors, io) stay in it: chunks import them from medic.js
    // instead of each being one more small file to load
    preserveEntrySignatures: 'allow-extension',
    external: [/^node:/, 'pg', 'pg-native', 'mysql2', 'mysql2/promise', 'ioredis', 'jose', 'undici'],
    output: {
      dir: 'dist',
      entryFileNames: 'medic.js',
      chunkFileNames: 'medic-[name]-[hash].js',
      format: 'esm',
      // fewer, larger chunks (each file costs its own load): the small helpers nearly every command
      // shares, and the config reader with its YAML parser and schemas (all but `medic jwt` and
      // `--version` read a config). A group takes its modules' imports along: errors.js goes with
      // the helpers, or the entry would load the config chunk for it.
      codeSplitting: {
        groups: [
          { name: 'shared', priority: 2, test: /node_modules[\\/]picocolors[\\/]|dist[\\/](util[\\/](duration|map-strings)|engine[\\/](redact|errors)|config[\\/](resolve|dotenv))\.js/ },
          { name: 'config', priority: 1, test: /node_modules[\\/](yaml|zod)[\\/]|dist[\\/]config[\\/](load|schema|targets|interpolate)\.js|embedding-models\.js/ },
        ],
      },
    },
    logLevel: 'warn',
  },
  {
    input: 'dist/logs/worker.js',
    platform: 'node',
    external: [/^node:/],
    output: { file: 'dist/logs-worker.js', format: 'esm' },
    logLevel: 'warn',
  },
]
