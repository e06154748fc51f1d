/**
 * What a token grants (roles, scopes, permissions from the usual claims) and whether that covers a
 * requirement, with wildcards: a grant `*` covers everything, `admin:*` covers `admin:users` and
 * `admin:users:delete`. A requirement is met only by a grant that covers it (needing `admin:*`
 * takes `admin:*` or `*`, not `admin:read`).
 */
import { safe } from './token.js'

export interface Grant {
  value: string
  /** The claim it came from: `roles`, `scope`, `realm_access.roles`... */
  claim: string
}

function strings(v: unknown, splitSpaces: boolean): string[] {
  if (typeof v === 'string') return splitSpaces ? v.split(/\s+/).filter(Boolean) : v ? [v] : []
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0)
  return []
}

/** Every grant the token carries, with the claim it came from. */
export function grantsOf(claims: Record<string, unknown>): Grant[] {
  const out: Grant[] = []
  const add = (claim: string, values: string[]) => {
    for (const value of values) out.push({ value, claim })
  }
  // OAuth 2 `scope` is a space-separated string (RFC 8693 §4.2); Azure AD `scp` likewise; some issuers use arrays.
  add('scope', strings(claims.scope, true))
  add('scp', strings(claims.scp, true))
  add('scopes', strings(claims.scopes, true))
  add('roles', strings(claims.roles, false))
  add('role', strings(claims.role, false))
  add('permissions', strings(claims.permissions, false))
  add('groups', strings(claims.groups, false))
  const realm = claims.realm_access
  if (realm && typeof realm === 'object') add('realm_access.roles', strings((realm as Record<string, unknown>).roles, false))
  const resources = claims.resource_access
  if (resources && typeof resources === 'object') {
    for (const [client, access] of Object.entries(resources as Record<string, unknown>)) {
      if (access && typeof access === 'object') add(`resource_access.${client}.roles`, strings((access as Record<string, unknown>).roles, false))
    }
  }
  return out
}

/** Does the grant cover the requirement? `*` covers all; `a:*` covers `a:x`, `a:x:y` and `a:*`. */
export function covers(grant: string, need: string): boolean {
  if (grant === need || grant === '*') return true
  if (grant.endsWith(':*')) {
    const prefix = grant.slice(0, -1) // keeps the ':'
    return need.startsWith(prefix) && need.length > prefix.length
  }
  return false
}

export interface PermissionCheck {
  need: string
  satisfied: boolean
  /** The grant that covers it (when satisfied). */
  by?: Grant
  /** Grants that differ only in case or separator (`User:Write`, `user.write`): likely a naming mismatch. */
  nearMisses: Grant[]
}

const normal = (s: string) => s.toLowerCase().replace(/[.:/_-]/g, ':')

export function checkPermissions(grants: Grant[], needs: string[]): PermissionCheck[] {
  return needs.map((need) => {
    const by = grants.find((g) => covers(g.value, need))
    if (by) return { need, satisfied: true, by, nearMisses: [] }
    const nearMisses = grants.filter((g) => covers(normal(g.value), normal(need)) || normal(g.value) === normal(need))
    return { need, satisfied: false, nearMisses }
  })
}

/** `admin (roles), user:read (scope)` for evidence; long lists are cut. */
export function describeGrants(grants: Grant[], max = 12): string {
  if (grants.length === 0) return 'none (no roles, role, scope, scp, permissions, groups or realm_access.roles claim)'
  const shown = grants.slice(0, max).map((g) => `${safe(g.value, 60)} (${safe(g.claim, 60)})`)
  return grants.length > max ? `${shown.join(', ')} and ${grants.length - max} more` : shown.join(', ')
}
