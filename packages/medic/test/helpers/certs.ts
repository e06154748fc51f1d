/**
 * Certificates for tests, made with the local `openssl` binary in a temp dir: a root CA, intermediates,
 * leaf certs with given SANs and validity (already expired, expiring in N days, not yet valid), and
 * self-signed certs. Everything goes through `openssl ca` because OpenSSL 3.0 (installed here) only
 * takes arbitrary validity dates there (`-startdate`/`-enddate`); `x509 -not_before` came in 3.4.
 *
 *   const pki = createPki()
 *   const root = pki.ca({ cn: 'Test Root' })
 *   const inter = pki.intermediate(root, { cn: 'Test Intermediate' })
 *   const leaf = pki.leaf(inter, { cn: 'localhost', sans: ['localhost', 'IP:127.0.0.1'], days: 10 })
 *   tls.createServer({ key: leaf.keyPem, cert: leaf.fullChainPem })   // client trusts root.certPath
 *   pki.cleanup()
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const DAY_MS = 86_400_000

export interface CertOptions {
  /** Subject common name. */
  cn: string
  /** Subject alternative names: `localhost`, `DNS:api.test`, `IP:127.0.0.1` (bare names are DNS). */
  sans?: string[]
  /** Not valid before (default: one hour ago, so clock jitter never matters). */
  notBefore?: Date
  /** Not valid after. Overrides `days`. */
  notAfter?: Date
  /** Valid for this many days from now (default 365). Negative means already expired. */
  days?: number
  /** `ec` (P-256, fast, default) or `rsa` (2048). */
  keyType?: 'ec' | 'rsa'
}

export interface Cert {
  name: string
  certPem: string
  keyPem: string
  certPath: string
  keyPath: string
  /** This cert followed by every issuer up to, not including, the self-signed root (what a server should send). */
  chainPem: string
  /** This cert followed by every issuer including the root. */
  fullChainPem: string
  /** The certificate that signed this one (itself for a root or a self-signed cert). */
  issuer: Cert | null
  notBefore: Date
  notAfter: Date
}

export interface Pki {
  dir: string
  /** A self-signed root CA (basicConstraints CA:TRUE). */
  ca(opts: CertOptions): Cert
  /** An intermediate CA signed by `issuer`. */
  intermediate(issuer: Cert, opts: CertOptions): Cert
  /** A server certificate signed by `issuer`. */
  leaf(issuer: Cert, opts: CertOptions): Cert
  /** A self-signed server certificate (not a CA). */
  selfSigned(opts: CertOptions): Cert
  /** Write text into the temp dir (a CA bundle...) and return its path. */
  write(name: string, text: string): string
  /** Remove the temp dir. Safe to call twice. */
  cleanup(): void
}

/** `openssl ca` takes YYYYMMDDHHMMSSZ. */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z')
}

function sanList(sans: string[]): string {
  return sans.map((s) => (/^(DNS|IP|email|URI):/.test(s) ? s : `DNS:${s}`)).join(',')
}

export function createPki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'medic-pki-'))
  writeFileSync(join(dir, 'index.txt'), '')
  writeFileSync(join(dir, 'serial'), '1000\n')
  // A minimal CA config: no policy constraints, duplicate subjects allowed, extensions from -extfile.
  const cnf = join(dir, 'ca.cnf')
  writeFileSync(
    cnf,
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      'copy_extensions = none',
      'email_in_dn = no',
      '[any]',
      'commonName = supplied',
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      '',
    ].join('\n'),
  )
  let n = 0
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })

  function make(kind: 'ca' | 'intermediate' | 'leaf' | 'self', issuer: Cert | null, o: CertOptions): Cert {
    const name = `${kind}-${++n}`
    const keyPath = join(dir, `${name}.key`)
    const csrPath = join(dir, `${name}.csr`)
    const certPath = join(dir, `${name}.crt`)
    const extPath = join(dir, `${name}.ext`)
    if (o.keyType === 'rsa') run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath])
    else run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath])
    run(['req', '-new', '-key', keyPath, '-subj', `/CN=${o.cn}`, '-out', csrPath])
    const isCa = kind === 'ca' || kind === 'intermediate'
    const ext = isCa
      ? ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid']
      : [
          'basicConstraints = CA:FALSE',
          'keyUsage = critical, digitalSignature, keyEncipherment',
          'extendedKeyUsage = serverAuth',
          'subjectKeyIdentifier = hash',
          ...(kind === 'leaf' ? ['authorityKeyIdentifier = keyid'] : []),
          ...(o.sans && o.sans.length ? [`subjectAltName = ${sanList(o.sans)}`] : []),
        ]
    writeFileSync(extPath, `[ext]\n${ext.join('\n')}\n`)
    const notBefore = o.notBefore ?? new Date(Date.now() - 3_600_000)
    const notAfter = o.notAfter ?? new Date(Date.now() + (o.days ?? 365) * DAY_MS)
    const signArgs = ['ca', '-batch', '-config', join(dir, 'ca.cnf'), '-notext', '-in', csrPath, '-out', certPath, '-extfile', extPath, '-extensions', 'ext']
    signArgs.push('-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter))
    if (issuer) signArgs.push('-cert', issuer.certPath, '-keyfile', issuer.keyPath)
    else signArgs.push('-selfsign', '-keyfile', keyPath)
    run(signArgs)
    const certPem = readFileSync(certPath, 'utf8')
    const keyPem = readFileSync(keyPath, 'utf8')
    const issuers: Cert[] = []
    for (let c = issuer; c && !issuers.includes(c); c = c.issuer === c ? null : c.issuer) issuers.push(c)
    const intermediates = issuers.filter((c) => c.issuer !== c)
    const cert: Cert = {
      name,
      certPem,
      keyPem,
      certPath,
      keyPath,
      chainPem: certPem + intermediates.map((c) => c.certPem).join(''),
      fullChainPem: certPem + issuers.map((c) => c.certPem).join(''),
      issuer,
      notBefore,
      notAfter,
    }
    if (!issuer) cert.issuer = cert
    return cert
  }

  return {
    dir,
    ca: (o) => make('ca', null, o),
    intermediate: (issuer, o) => make('intermediate', issuer, o),
    leaf: (issuer, o) => make('leaf', issuer, o),
    selfSigned: (o) => make('self', null, o),
    write(name, text) {
      const p = join(dir, name)
      writeFileSync(p, text)
      return p
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Days from now, as a Date (negative for the past). */
export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * DAY_MS)
}
