#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { main } from '../dist/cli/main.js'

main(process.argv).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    console.error(`medic: internal error: ${err?.stack ?? err}`)
    process.exitCode = 3
  },
)
