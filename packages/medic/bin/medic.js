#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled to dist/medic.js by `npm install` (prepare) or `npm run build`.
// It exits as soon as the answer is written: a dead target's half-open socket or a driver's
// reconnect timer must never keep medic waiting after it has answered.
import { main } from '../dist/medic.js'

function exit(code) {
  // Flush both streams first (pipes are asynchronous), then leave.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

main(process.argv).then(exit, (err) => {
  console.error(`medic: internal error: ${err?.stack ?? err}`)
  exit(3)
})
