/** The certificate helper makes what it says: validity dates, SANs, issuers, chains. */
import { X509Certificate } from 'node:crypto'
import { existsSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { createPki, daysFromNow } from './certs.js'

const pki = createPki()
afterAll(() => pki.cleanup())

describe('createPki', () => {
  it('makes a root, an intermediate and a leaf with SANs and a chain', () => {
    const root = pki.ca({ cn: 'Medic Test Root' })
    const inter = pki.intermediate(root, { cn: 'Medic Test Intermediate' })
    const leaf = pki.leaf(inter, { cn: 'localhost', sans: ['localhost', 'IP:127.0.0.1'], days: 10 })
    const x = new X509Certificate(leaf.certPem)
    expect(x.subject).toContain('CN=localhost')
    expect(x.issuer).toContain('CN=Medic Test Intermediate')
    expect(x.subjectAltName).toContain('DNS:localhost')
    expect(x.subjectAltName).toContain('IP Address:127.0.0.1')
    expect(x.checkIssued(new X509Certificate(inter.certPem))).toBe(true)
    expect(new X509Certificate(inter.certPem).ca).toBe(true)
    const daysLeft = (new Date(x.validTo).getTime() - Date.now()) / 86_400_000
    expect(daysLeft).toBeGreaterThan(9.9)
    expect(daysLeft).toBeLessThan(10.1)
    // chainPem = leaf + intermediate (no root); fullChainPem adds the root.
    expect(leaf.chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(leaf.fullChainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(3)
  })

  it('makes expired and self-signed certs', () => {
    const self = pki.selfSigned({ cn: 'self.test', sans: ['self.test'], notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) })
    const x = new X509Certificate(self.certPem)
    expect(new Date(x.validTo).getTime()).toBeLessThan(Date.now())
    expect(x.issuer).toBe(x.subject)
    expect(x.ca).toBe(false)
    expect(self.chainPem).toBe(self.certPem)
  })

  it('cleans up its temp dir', () => {
    const other = createPki()
    other.selfSigned({ cn: 'x', keyType: 'rsa' })
    other.cleanup()
    expect(existsSync(other.dir)).toBe(false)
  })
})
