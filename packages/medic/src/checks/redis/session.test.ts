// Pure helpers of the redis family: INFO parsing, reply classification, number formatting.
import { describe, expect, test } from 'vitest'
import { bytes, classifyReply, fmtPct, parseInfo } from './session.js'
import { argCount } from './slowlog.js'
import { keyspaceTotals, parseErrorstat } from './memory.js'

describe('redis helpers', () => {
  test('parseInfo flattens sections and keeps values with colons', () => {
    const info = parseInfo('# Server\r\nredis_version:7.0.15\r\nexecutable:/usr/bin/redis-server\r\n\r\n# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\ndb2:keys=2,expires=0,avg_ttl=0\r\n')
    expect(info.redis_version).toBe('7.0.15')
    expect(info.executable).toBe('/usr/bin/redis-server')
    expect(keyspaceTotals(info)).toEqual({ keys: 5, expires: 1 })
    expect(parseErrorstat('count=12')).toEqual({ count: '12' })
  })

  test('server replies are classified by their error code, Redis 5 wording included', () => {
    expect(classifyReply('WRONGPASS invalid username-password pair or user is disabled.')).toBe('wrongpass')
    expect(classifyReply('ERR invalid password')).toBe('wrongpass')
    expect(classifyReply('NOAUTH Authentication required.')).toBe('noauth')
    expect(classifyReply('ERR max number of clients reached')).toBe('maxclients')
    expect(classifyReply('LOADING Redis is loading the dataset in memory')).toBe('loading')
    expect(classifyReply('DENIED Redis is running in protected mode')).toBe('denied')
    expect(classifyReply('MISCONF Redis is configured to save RDB snapshots')).toBeUndefined()
  })

  test('slowlog argument count survives the 32-argument truncation', () => {
    expect(argCount(['GET', 'k'])).toBe(1)
    expect(argCount(['DEBUG', 'SLEEP', '0.05'])).toBe(2)
    const truncated = ['MSET', ...Array.from({ length: 30 }, (_, i) => `a${i}`), '... (70 more arguments)']
    expect(argCount(truncated)).toBe(100)
  })

  test('numbers read like Redis counts them', () => {
    expect(bytes(1048576)).toBe('1.00 MB')
    expect(bytes(2187192)).toBe('2.09 MB')
    expect(bytes(512)).toBe('512 B')
    expect(fmtPct(104.3)).toBe('104 %')
    expect(fmtPct(4.25)).toBe('4.3 %')
    expect(fmtPct(0.02)).toBe('< 0.1 %')
    expect(fmtPct(0)).toBe('0 %')
  })
})
