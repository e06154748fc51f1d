// The CLI as one file: loading ~200 modules one by one cost half of medic's start-up time.
// Drivers stay external (loaded on first use from node_modules).
// The log worker (src/logs/worker.ts) is its own small file, so a worker starts without the CLI.
export default [
  {
    input: 'dist/cli/main.js',
    platform: 'node',
    external: [/^node:/, 'pg', 'pg-native', 'mysql2', 'mysql2/promise', 'ioredis', 'jose', 'undici'],
    output: { file: 'dist/medic.js', format: 'esm' },
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
