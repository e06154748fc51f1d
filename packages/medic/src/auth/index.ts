/** Token and API-key analysis as a library: used by the auth checks and by `medic jwt`. */
export { JwtAnalyzer, type JwtAnalysis, type JwtDeps, type JwtSettings, type FindingDraft, type SubjectState } from './analyze.js'
export { analyzeApiKey, keyFromHeaderLine, keyShape, type ApiKeyAnalysis, type ApiKeyDraft } from './apikey.js'
export { parseToken, type ParsedInput, type MalformedReason } from './token.js'
export { grantsOf, covers, checkPermissions } from './permissions.js'
export { humanDuration, relative, isoOfSeconds } from './duration.js'
export { fetchJwksDocument } from './keys.js'
export { JWT_MESSAGES, APIKEY_MESSAGES } from './messages.js'
