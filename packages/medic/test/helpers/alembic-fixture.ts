/** For migrations.* tests: Alembic versions/ folders written the way `alembic revision` writes them. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Rev {
  id: string
  /** Parent(s): undefined/[] for a base, two for a merge. */
  down?: string | string[]
  slug?: string
}

/** The text `alembic revision -m <slug>` generates (typed style of Alembic >= 1.13). */
export function alembicScript(rev: Rev): string {
  const down = rev.down === undefined || (Array.isArray(rev.down) && rev.down.length === 0) ? [] : Array.isArray(rev.down) ? rev.down : [rev.down]
  const downExpr = down.length === 0 ? 'None' : down.length === 1 ? `'${down[0]}'` : `(${down.map((d) => `'${d}'`).join(', ')})`
  return `"""${rev.slug ?? rev.id}

Revision ID: ${rev.id}
Revises: ${down.join(', ')}
Create Date: 2026-11-20 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '${rev.id}'
down_revision: Union[str, Sequence[str], None] = ${downExpr}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("SELECT 1")


def downgrade() -> None:
    pass
`
}

/** Write the revisions into <tmp>/versions as NNN_<slug>.py; returns the versions dir and a cleanup. */
export function alembicVersions(revs: Rev[]): { dir: string; root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'medic-alembic-'))
  const dir = join(root, 'versions')
  mkdirSync(dir)
  revs.forEach((r, i) => writeFileSync(join(dir, `${String(i + 1).padStart(3, '0')}_${r.id}_${r.slug ?? 'step'}.py`), alembicScript(r)))
  writeFileSync(join(dir, '__init__.py'), '')
  return { dir, root, cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

/** linear: a1 -> b2 -> c3 */
export const LINEAR: Rev[] = [
  { id: 'a1f0c0de0001', slug: 'create_users' },
  { id: 'b2f0c0de0002', down: 'a1f0c0de0001', slug: 'add_email' },
  { id: 'c3f0c0de0003', down: 'b2f0c0de0002', slug: 'add_index' },
]
/** branched: a1 -> b2 -> c3 and a1 -> b2 -> d4 (two heads c3, d4) */
export const BRANCHED: Rev[] = [...LINEAR, { id: 'd4f0c0de0004', down: 'b2f0c0de0002', slug: 'add_roles' }]
/** merged: BRANCHED + e5 merging c3 and d4 */
export const MERGED: Rev[] = [...BRANCHED, { id: 'e5f0c0de0005', down: ['c3f0c0de0003', 'd4f0c0de0004'], slug: 'merge_heads' }]
