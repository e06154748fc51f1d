/**
 * Text for every jwt.* and apikey.* finding, shared by the auth checks and `medic jwt` (kept apart
 * from the logic). Commands read the token from $TOKEN: the token itself is never written anywhere.
 */
import type { FindingMessage } from '../engine/check.js'

export const JWT_MESSAGES = {
  'jwt.malformed': {
    title: 'token is malformed',
    fix: 'Send the token exactly as the issuer returned it, as `Authorization: Bearer <header>.<claims>.<signature>`: no quotes, no line breaks, "Bearer " once. Check how the client stores and copies it.',
    commands: ['printf %s "$TOKEN" | medic jwt', `printf %s "$TOKEN" | awk -F. '{print NF " parts"}'`],
  },
  'jwt.expired': {
    title: 'token expired',
    fix: 'Get a new token (log in again or use the refresh token). If tokens expire sooner than their configured lifetime, compare the clocks of the issuer and the API (`date -u` on both, NTP) and allow a small clock tolerance (30-60 s).',
    commands: ['printf %s "$TOKEN" | medic jwt', 'date -u'],
  },
  'jwt.not-yet-valid': {
    title: 'token not valid yet',
    fix: "The issuer's clock is ahead of the API's: synchronise both with NTP (`timedatectl status`), or allow a clock tolerance of a few seconds in the verifier.",
    commands: ['printf %s "$TOKEN" | medic jwt', 'date -u', 'timedatectl status'],
  },
  'jwt.signature-invalid': {
    title: 'token signature does not verify',
    fix: 'Make the issuer and the API use the same key: the same JWT secret (e.g. JWT_SECRET_KEY) in both services and environments, or the issuer\'s current public key / JWKS. Tokens signed before a key rotation must be issued again.',
    commands: ['printf %s "$TOKEN" | medic jwt --config medic.yaml'],
  },
  'jwt.algorithm-mismatch': {
    title: 'token algorithm does not match the verifier',
    fix: 'Configure the verifier for the algorithm the issuer uses (HS256 with a shared secret, RS256/ES256 with the issuer\'s public key or JWKS) and pin it in the verifier\'s algorithm list. Never accept `alg: none`.',
    commands: ['printf %s "$TOKEN" | medic jwt --config medic.yaml'],
  },
  'jwt.key-not-found': {
    title: 'token key id not in the JWKS',
    fix: 'The token names a key (kid) the JWKS does not publish: check that the JWKS URL belongs to the same issuer and environment, refresh the verifier\'s JWKS cache after a key rotation, or get a token signed with a current key.',
    commands: ['curl -s {jwks} | jq ".keys[] | {kid, kty, alg}"'],
  },
  'jwt.claim-mismatch': {
    title: 'token issuer or audience differs from the expected one',
    fix: 'Request the token for this API (audience) from the expected issuer, or fix the expected issuer/audience in the API\'s configuration to match what the issuer writes (exact strings: trailing slashes count).',
    commands: ['printf %s "$TOKEN" | medic jwt --json | jq ".tokens[0].claims | {iss, aud}"'],
  },
  'jwt.no-expiry': {
    title: 'token never expires',
    fix: 'Issue access tokens with an `exp` claim (short-lived, 5-60 min, with refresh tokens): a token without one stays valid forever if it leaks.',
    commands: ['printf %s "$TOKEN" | medic jwt'],
  },
  'jwt.permission-missing': {
    title: 'token lacks a required permission',
    fix: 'Grant the role, scope or permission to the user or client (or request the scope when getting the token), then get a new token (claims are fixed when the token is issued).',
    commands: ['printf %s "$TOKEN" | medic jwt --need <permission>'],
  },
  'jwt.subject-inactive': {
    title: "token subject's account is missing or inactive",
    fix: 'The token is valid but its subject (sub) is disabled or deleted: reactivate the account or log in as an active user. Tokens of removed accounts keep failing until they expire.',
    commands: [],
  },
} satisfies Record<string, FindingMessage>

export const APIKEY_MESSAGES = {
  'apikey.missing': {
    title: 'API key missing',
    fix: 'Set the key where the app reads it (export the variable or add it to .env, then restart the app) and send it as `Authorization: Bearer <key>`.',
    commands: ['printenv {variable} | wc -c'],
  },
  'apikey.malformed': {
    title: 'API key is malformed',
    fix: 'Store the key exactly as issued: no surrounding quotes, spaces or line breaks, and without the "Bearer " prefix (the client adds it once). Use the key of the right kind and environment (e.g. sk_live_ in production, sk_test_ in test).',
    // Only the first and last bytes: enough to see quotes, "Bearer " or a newline, not the key.
    commands: ['printenv {variable} | head -c 8 | od -c', 'printenv {variable} | tail -c 3 | od -c'],
  },
} satisfies Record<string, FindingMessage>

export type JwtFindingId = keyof typeof JWT_MESSAGES
export type ApiKeyFindingId = keyof typeof APIKEY_MESSAGES
