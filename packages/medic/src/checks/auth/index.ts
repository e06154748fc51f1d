/** The auth checks, in the order they are listed. */
import type { AnyCheck } from '../../engine/check.js'
import apikey from './apikey.js'
import jwt from './jwt.js'

export const authChecks: AnyCheck[] = [jwt, apikey]
