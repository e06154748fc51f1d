import fc from 'fast-check'
/**
 * Template mining on masked messages: which words are variables and which define the event.
 * The cases are shapes seen in public system logs (Hadoop, Spark, HPC, Android, OpenSSH); the
 * expectations follow how people label those logs (one event per template, values masked).
 */
import { describe, expect, it } from 'vitest'
import { Grouper } from './aggregate.js'
import { Drain, mergeVariableWords, templateOf } from './drain.js'
import { maskMessage, maskToken, maskTokens, WILDCARD, wordCacheSize } from './mask.js'
import { newEvent } from './parse/parser.js'

/** Group ids of messages, in order, the way `medic logs` groups them. */
function groupIds(messages: string[]): string[] {
  const g = new Grouper()
  const refs = messages.map((m) => {
    const ev = newEvent(0, 0)
    ev.message = m
    const grp = g.assign(ev)
    grp.add(ev)
    return grp.ref
  })
  const { idOfRef } = g.finish()
  return refs.map((r) => idOfRef[r])
}

describe('masking', () => {
  it('a unit after a number is part of the value', () => {
    expect(maskMessage('estimated size 5.2 KB, free 93.0 B)')).toBe(maskMessage('estimated size 93.0 B, free 317.1 KB)'))
    // and a run of values is one wildcard
    expect(maskMessage('took 45 ms')).toBe('took <*>')
    expect(maskMessage('lifetime <1 sec')).toBe(maskMessage('lifetime 00:01'))
    // a unit word with no number before it stays a word
    expect(maskMessage('stored as bytes in memory')).toBe('stored as bytes in memory')
  })

  it('paths, host names and class names inside a message are values', () => {
    expect(maskMessage('adding path spec: /mapreduce/*')).toBe('adding path spec: <*>')
    expect(maskMessage('opening app com.tencent.mm/.ui.LauncherUI now')).toBe('opening app <*> now')
    expect(maskMessage('getaddrinfo for mail.example.com failed')).toBe('getaddrinfo for <*> failed')
    expect(maskMessage('authentication failure; ruser= rhost=mail.example.com user=root')).toBe('authentication failure; ruser= rhost=<*> user=root')
    expect(maskMessage('opened file=/var/log/app.log')).toBe('opened file=<*>')
    expect(maskMessage('chrome.exe - proxy.example.com:5070 open through proxy')).toBe('<*> - <*> open through proxy')
    // an empty value is a value too
    expect(maskMessage('connection from 1.2.3.4 () at Fri Jun 17 07:07:00 2005')).toBe(maskMessage('connection from 1.2.3.4 (a.example.net) at Mon Jun 20 03:40:59 2005'))
    expect(maskMessage('Registering class org.apache.hadoop.mapreduce.jobhistory.EventType for class org.apache.hadoop.mapreduce.v2.app.job.event.JobEventType'))
      .toBe('Registering class <*> for class <*>')
    // exception types name the event; a config key is not a class
    expect(maskMessage('caught java.net.SocketTimeoutException while reading')).toBe('caught java.net.SocketTimeoutException while reading')
    expect(maskMessage('mapred.job.id is deprecated')).toBe('mapred.job.id is deprecated')
    // a constant's full name is not a class: SCREEN_ON and SCREEN_OFF are two events
    expect(maskMessage('onReceive action: android.intent.action.SCREEN_ON')).toBe('onReceive action: android.intent.action.SCREEN_ON')
  })

  it("an access-log event keeps its route (5xx per endpoint); a quoted request line inside a message is data", () => {
    expect(maskMessage('GET /api/orders 500 Internal Server Error')).toBe('GET /api/orders <*> Internal Server Error')
    expect(maskMessage('"POST /login HTTP/1.1" 401')).toBe('"POST <*>')
  })

  it('key:value keeps its key when the key is a plain name', () => {
    expect(maskMessage('mapResourceRequest:<memory:1024, vCores:1>')).toBe('mapResourceRequest:<*> vCores:<*>')
    expect(maskMessage('at 12:01:01 from 10.0.0.1:8080')).toBe('at <*> from <*>')
  })

  it('a token with a digit and none of = : . before it is a value (maskTokens reads such tokens without cutting them out)', () => {
    const char = fc.constantFrom(...'aZ_09-+@/=:.,;()[]<>\'"#%~'.split(''))
    fc.assert(
      fc.property(fc.array(char, { minLength: 1, maxLength: 12 }), (cs) => {
        const t = cs.join('')
        const d = t.search(/\d/)
        if (d < 0 || /[=:.]/.test(t.slice(0, d))) return
        expect(maskToken(t)).toBe(WILDCARD)
      }),
      { numRuns: 5000 },
    )
    // and the tokens that keep a part still do, beside such values
    expect(maskMessage('retry=3 after 250ms (id 7f3a) attempt:2 wait....5 -12 [42] v1.2')).toBe('retry=<*> after <*> (id <*> attempt:<*> wait..<*> <*>')
  })

  it('remembers words without cutting them out, the same answers first and again, bounded', () => {
    const msg = 'opened com.app.Main for GET /api/x in 5 ms from mail.example.com (file.pdf) Jan'
    const first = maskMessage(msg)
    expect(maskMessage(msg)).toBe(first)
    expect(first).toBe('opened <*> for GET /api/x in <*> from <*> (file.pdf) <*>')
    // many distinct words (hash collisions and a full table included): answers stay right
    for (let i = 0; i < 50_000; i++) {
      const w = `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)}${String.fromCharCode(97 + ((i / 676) | 0) % 26)}x`
      expect(maskMessage(`user ${w} logged in`)).toBe(`user ${w} logged in`)
      expect(wordCacheSize()).toBeLessThanOrEqual(20_000)
    }
    expect(maskMessage(msg)).toBe(first)
  })

  it('a backslash-escaped space does not split a token', () => {
    expect(maskTokens('nodes:node-[224\\ 228\\ 232] ok')).toHaveLength(2)
  })
})

describe('templates', () => {
  it('one differing constant word makes another event, even in a long message', () => {
    const ids = groupIds([
      'Block broadcast_9_piece0 stored as bytes in memory (estimated size 5.2 KB, free 5.2 KB)',
      'Block broadcast_9 stored as values in memory (estimated size 8.8 KB, free 14.0 KB)',
      'Block broadcast_0_piece0 stored as bytes in memory (estimated size 93.0 B, free 317.1 KB)',
      'Block broadcast_0 stored as values in memory (estimated size 384.0 B, free 317.5 KB)',
    ])
    expect(ids[0]).toBe(ids[2])
    expect(ids[1]).toBe(ids[3])
    expect(ids[0]).not.toBe(ids[1])
  })

  it('a word with three or more values at one position is a variable (user names)', () => {
    const ids = groupIds(['Invalid user webmaster from 1.2.3.4', 'Invalid user test from 1.2.3.5', 'Invalid user oracle from 1.2.3.6', 'Invalid user admin from 1.2.3.7'])
    expect(new Set(ids).size).toBe(1)
  })

  it('key=value words: three or more values make a variable, two may be two events', () => {
    const many = groupIds(['authentication failure; rhost=1.2.3.4 user=root', 'authentication failure; rhost=1.2.3.5 user=ftp', 'authentication failure; rhost=1.2.3.6 user=sshd'])
    expect(new Set(many).size).toBe(1)
    const two = groupIds(['authentication failure; rhost=1.2.3.4 user=root', 'authentication failure; rhost=1.2.3.5 user=guest'])
    expect(new Set(two).size).toBe(2)
    expect(maskMessage('vis=40000500 mask=ffffffff')).toBe('vis=<*> mask=<*>')
  })

  it('a verb after "to" is not a value: "Took 19.05 seconds to spawn" and "to destroy" are two events', () => {
    const ids = groupIds(['Took 19.05 seconds to spawn the instance on the hypervisor.', 'Took 1.03 seconds to destroy the instance on the hypervisor.'])
    expect(new Set(ids).size).toBe(2)
  })

  it('states (ALL_CAPS) and names from the code (camelCase, dotted) define the event', () => {
    const states = groupIds(['job_1 Job Transitioned from NEW to INITED', 'job_2 Job Transitioned from INITED to SETUP', 'job_3 Job Transitioned from SETUP to RUNNING'])
    expect(new Set(states).size).toBe(3)
    const keys = groupIds(['maxTaskFailuresPerNode is 3', 'blacklistDisablePercent is 33', 'maxContainerCapability is 8192'])
    expect(new Set(keys).size).toBe(3)
    const deprecations = groupIds([
      'mapred.tip.id is deprecated. Instead, use mapreduce.task.id',
      'mapred.task.id is deprecated. Instead, use mapreduce.task.attempt.id',
      'mapred.job.id is deprecated. Instead, use mapreduce.job.id',
    ])
    expect(new Set(deprecations).size).toBe(3)
  })

  it('two word variables with very many values (user and host names) stay one bounded template, fast', () => {
    const d = new Drain()
    const word = (i: number, k: number) => String.fromCharCode(97 + ((i * k) % 26), 97 + (((i * k) / 26) | 0) % 26, 97 + (((i * k) / 676) | 0) % 26, 97 + (((i * k) / 17576) | 0) % 26)
    for (let i = 0; i < 20_000; i++) d.add(maskTokens(`session opened for user ${word(i, 7)} by ${word(i, 13)} from host ${word(i, 3)}.example.com`))
    // before the bounds a leaf grew a cluster per message (20 000 messages took ~14 s; the time is
    // measured by bench/, this asserts the bound that keeps it linear)
    expect(d.clusters.length).toBeLessThanOrEqual(64)
    const roots = [...new Set(mergeVariableWords(d))]
    expect(roots).toHaveLength(1)
    expect(templateOf(d.clusters[roots[0]])).toBe('session opened for user <*> by <*> from host <*>')
  })

  it('a leaf crowded by a word variable with very many values stops growing', () => {
    const d = new Drain()
    const words: string[] = []
    for (let i = 0; i < 2000; i++) words.push(String.fromCharCode(97 + (i % 26), 97 + ((i / 26) | 0) % 26, 97 + ((i / 676) | 0) % 26) + 'x')
    for (const w of words) d.add(maskTokens(`session opened for user ${w} by root`))
    expect(d.clusters.length).toBeLessThan(100)
    const joined = mergeVariableWords(d)
    const roots = new Set(joined)
    expect(roots.size).toBe(1)
    expect(templateOf(d.clusters[[...roots][0]])).toBe('session opened for user <*> by root')
  })
})
