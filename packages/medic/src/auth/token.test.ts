// The token parser: every malformed shape gets a precise reason, and (fast-check) random and
// hostile input never throws, never hangs and never echoes the token into a reason.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseToken, MAX_TOKEN_LENGTH } from './token.js'

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const GOOD = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: '1', exp: 2000000000 })}.${Buffer.alloc(32, 7).toString('base64url')}`
const reasons = (input: string) => parseToken(input).problems.map((p) => `${p.part}: ${p.reason}`)

describe('parseToken', () => {
  it('decodes a well-formed token, bare, as "Bearer x" and as a header line', () => {
    for (const input of [GOOD, `Bearer ${GOOD}`, `Authorization: Bearer ${GOOD}`, `authorization:bearer ${GOOD}`, `  ${GOOD}\n`]) {
      const p = parseToken(input)
      expect(p.problems, input).toEqual([])
      expect(p.decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT' })
      expect(p.decoded?.claims).toEqual({ sub: '1', exp: 2000000000 })
      expect(p.decoded?.signatureBytes).toBe(32)
    }
    expect(parseToken(`Authorization: Bearer ${GOOD}`).carrier).toBe('authorization header')
  })

  it('says which part is wrong and why', () => {
    const [h, c, s] = GOOD.split('.')
    const table: [string, RegExp][] = [
      ['', /the input is empty/],
      ['abc', /no "\." at all \(1 part, a JWT has 3/],
      ['sk_live_abcdefghijklmnopqrstuvwx', /looks like an API key, check it with `medic jwt --api-key`/],
      [`${h}.${c}`, /2 parts, a JWT has 3 .*the signature part is missing/],
      [`${h}.${c}.${s}.x.y`, /5 parts: it is an encrypted JWT \(JWE\)/],
      [`${h}.${c}.${s}.x`, /4 parts/],
      [`.${c}.${s}`, /header: header part is empty/],
      [`${b64('not json')}.${c}.${s}`, /header: header part decodes to 8 bytes that are not valid JSON \(it starts with "n", not "\{"\)/],
      [`${b64('{"alg":')}.${c}.${s}`, /header part decodes to 7 bytes that are not valid JSON/],
      [`${b64([1, 2])}.${c}.${s}`, /header part is JSON an array, expected a JSON object/],
      [`${h}.${b64('"just a string"')}.${s}`, /claims: claims part is JSON a string/],
      [`${Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')}.${c}.${s}`, /not UTF-8 text/],
      [`${b64({ typ: 'JWT' })}.${c}.${s}`, /header: the header has no "alg"/],
      [`${b64({ alg: 5 })}.${c}.${s}`, /the header "alg" is a number/],
      [`${h}=.${c}.${s}`, /header part ends with "=" padding at position \d+/],
      [`${h}.${c}.ab+cd/ef`, /signature part contains "\+" at position 3: standard base64, not base64url/],
      [`${h}.${c}.ab%cd`, /not a base64url character/],
      [`${h}.${c}x.${s}`, /impossible base64url length|not valid JSON|not UTF-8/],
      [`${h}.${b64({ exp: '2030-01-01' })}.${s}`, /the "exp" claim is a string, expected a NumericDate/],
      [`${GOOD.slice(0, 40)} ${GOOD.slice(40)}`, /the token contains a space at position 41/],
      [`Bearer Bearer ${GOOD}`, /carries "Bearer" twice/],
      [`Authorization: ${GOOD}`, /the header has no "Bearer " prefix/],
      ['Authorization: Basic dXNlcjpwYXNz', /uses the Basic scheme, not Bearer/],
      [`"${GOOD}"`, /wrapped in quotes/],
      ['Bearer', /no token after "Bearer"/],
      ['Authorization: Bearer ', /no token after "Bearer"/],
      ['Authorization:', /the Authorization header is empty/],
      ['x'.repeat(MAX_TOKEN_LENGTH + 1), /more than the 65536 a token can be/],
    ]
    for (const [input, re] of table) {
      const r = reasons(input).join('\n')
      expect(r, JSON.stringify(input.slice(0, 60))).toMatch(re)
    }
  })

  it('still decodes a token behind a doubled Bearer or quotes, so the claims can be shown', () => {
    const p = parseToken(`Authorization: Bearer Bearer ${GOOD}`)
    expect(p.problems).toHaveLength(1)
    expect(p.decoded?.claims.sub).toBe('1')
    expect(parseToken(`'${GOOD}'`).decoded?.header.alg).toBe('HS256')
  })
})

describe('parseToken properties (fast-check)', () => {
  const check = (input: string) => {
    const p = parseToken(input)
    // Either decoded, or at least one clear reason; never both missing.
    expect(p.decoded !== undefined || p.problems.length > 0).toBe(true)
    for (const pr of p.problems) {
      expect(pr.reason.length).toBeGreaterThan(10)
      expect(['authorization header', 'token', 'header', 'claims', 'signature']).toContain(pr.part)
    }
    return p
  }

  it('random strings never crash and get a reason', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => void check(s)), { numRuns: 2000 })
  })

  it('three random base64url-ish parts never crash; hostile JSON gets a clear jwt reason', () => {
    const part = fc.oneof(fc.base64String({ maxLength: 200 }), fc.string({ unit: fc.constantFrom(...'ABCxyz019-_=+/.%'.split('')), maxLength: 120 }), fc.json().map((j) => b64(j)))
    fc.assert(fc.property(part, part, part, (a, b, c) => void check(`${a}.${b}.${c}`)), { numRuns: 2000 })
  })

  it('tokens built from arbitrary JSON headers and claims decode or name the part at fault', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (header, claims) => {
        const p = check(`${b64(header)}.${b64(claims)}.${b64('sig')}`)
        if (p.decoded) {
          expect(typeof p.decoded.header.alg).toBe('string')
          expect(p.decoded.claims).toEqual(JSON.parse(JSON.stringify(claims)))
        } else {
          expect(['header', 'claims']).toContain(p.problems[p.problems.length - 1].part)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('reasons never echo a secret-looking token body', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{24,40}$/), fc.constantFrom('', 'Bearer ', 'Authorization: Bearer ', '"'), (secret, prefix) => {
        const p = parseToken(`${prefix}${secret}.${secret}`)
        expect(JSON.stringify(p.problems)).not.toContain(secret)
      }),
      { numRuns: 500 },
    )
  })

  it('hostile sizes and nesting end quickly', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const hostile = [
      `${b64(deep.slice(0, 40_000))}.${b64({})}.x`,
      `${'A'.repeat(MAX_TOKEN_LENGTH - 10)}..`,
      '.'.repeat(MAX_TOKEN_LENGTH),
      `${b64('{"alg":"HS256","a":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}').slice(0, 60_000)}.e30.`,
      '\u0000'.repeat(10_000),
      'Bearer '.repeat(9000),
    ]
    for (const h of hostile) {
      const t0 = performance.now()
      check(h)
      expect(performance.now() - t0).toBeLessThan(500)
    }
  })
})
