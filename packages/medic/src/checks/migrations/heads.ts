/**
 * migrations.heads: the Alembic revision graph in the code has one head. Two heads (two branches
 * made from the same parent and never merged) make `alembic upgrade head` fail with "Multiple head
 * revisions are present". Needs only the scripts, not the database.
 */
import { defineCheck } from '../../engine/check.js'
import { readRevisionGraph } from './alembic.js'
import { migrationSettings } from './settings.js'

export default defineCheck({
  meta: {
    id: 'migrations.heads',
    title: 'The migration graph has one head',
    targets: ['postgres', 'mysql'],
    description:
      'Reads the Alembic versions/ scripts (revision, down_revision, merges, and the Revision ID/Revises docstring) and reports more than one head: branches that were never merged. Runs for targets with `migrations: {tool: alembic, dir}`; other tools keep a flat list and are skipped.',
    defaults: {},
    timeoutMs: 3000,
    findings: {
      'migrations.multiple-heads': {
        title: 'The Alembic graph has more than one head',
        fix: 'Merge the heads into one revision and commit it: `alembic merge -m "merge heads" heads`, then `alembic upgrade head`.',
        commands: ['alembic heads', 'alembic history --verbose'],
      },
    },
  },
  async run(ctx) {
    const s = migrationSettings(ctx)
    if (s.tool !== 'alembic') ctx.skip(`${s.tool} keeps an ordered list of migrations, not a revision graph with heads`)
    const g = readRevisionGraph(s.dir)
    if (g.revisions.size === 0) ctx.skip(`no Alembic revision scripts in ${s.shownDir}`)
    ctx.observe('migrations.revisions', g.revisions.size)
    ctx.observe('migrations.heads', g.heads.length)
    const extra = [
      ...(g.missingParents.length ? [{ label: 'parents no script defines', observed: g.missingParents.map((m) => `${m.revision} → ${m.parent}`).join(', ') }] : []),
      ...(g.duplicates.length ? [{ label: 'revision ids in two files', observed: g.duplicates.map((d) => `${d.id} (${d.files.join(', ')})`).join('; ') }] : []),
    ]
    if (g.heads.length <= 1) {
      ctx.ok({ label: 'head', observed: g.heads.map((h) => `${h} (${g.revisions.get(h)!.file})`).join('') || 'none (a cycle?)', expected: 'exactly one' }, { label: 'revisions', observed: `${g.revisions.size} in ${s.shownDir}` }, ...extra)
      return
    }
    ctx.finding('migrations.multiple-heads', {
      severity: 'critical',
      title: `The Alembic graph has ${g.heads.length} heads: ${g.heads.join(', ')}`,
      evidence: [
        { label: 'heads', observed: g.heads.map((h) => `${h} (${g.revisions.get(h)!.file})`).join(', '), expected: 'exactly one head' },
        ...g.heads.map((h) => ({ label: `branch of ${h}`, observed: `revises ${g.revisions.get(h)!.down.join(', ') || '(base)'}` })),
        { label: 'revisions', observed: `${g.revisions.size} in ${s.shownDir}` },
        ...extra,
      ],
    })
  },
})
