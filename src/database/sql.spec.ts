import { describe, expect, it } from '@jest/globals';
import { join, q, raw } from './sql.js';

describe('q', () => {
  it('binds each value as the next parameter, through embedded statements', () => {
    const where = q`district_id = ${'d1'} AND status = ANY(${['open', 'waiting']})`;
    const statement = q`SELECT ${raw('id, name')} FROM tickets WHERE ${where} AND id > ${7} LIMIT ${50}`;
    expect(statement.render()).toEqual({
      text: 'SELECT id, name FROM tickets WHERE district_id = $1 AND status = ANY($2) AND id > $3 LIMIT $4',
      values: ['d1', ['open', 'waiting'], 7, 50],
    });
  });

  it('joins fragments, numbering their values in order', () => {
    const statement = q`WHERE ${join([q`a = ${1}`, q`b = ${2}`, raw('c IS NULL')], ' AND ')}`;
    expect(statement.render()).toEqual({ text: 'WHERE a = $1 AND b = $2 AND c IS NULL', values: [1, 2] });
    expect(join([], ', ').render()).toEqual({ text: '', values: [] });
  });
});
