import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { q } from '../database/sql.js';
import { AuditWriter } from './audit-writer.js';

describe('AuditWriter.insertFrom', () => {
  it('binds the values of q expressions after the author, in the order of the columns', () => {
    const statement = AuditWriter.insertFrom(
      { actor: { tokenId: 't1', name: 'admin' }, requestId: 'import:i1' },
      {
        districtId: q`${'d1'}::uuid`,
        entityType: 'student',
        entityId: q`${'import:i1'}::text || '#' || min(c.line)`,
        action: { literal: 'create' },
        after: `jsonb_build_object('n', count(*))`,
      },
      q`FROM c WHERE c.district_id = ${'d1'}`,
    );
    const { text, values } = statement.render();
    expect(text.replace(/\s+/g, ' ')).toBe(
      'INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, after) ' +
        "SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::uuid, 'student', $6::text || '#' || min(c.line), 'create', jsonb_build_object('n', count(*)) " +
        'FROM c WHERE c.district_id = $7',
    );
    expect(values).toEqual(['t1', null, 'admin', 'import:i1', 'd1', 'import:i1', 'd1']);
  });
});
