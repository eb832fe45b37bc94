/**
 * Contract tests for the test database adapter: it must behave like NodeBB's Redis adapter
 * for every method the plugin uses, or tests built on it prove nothing.
 */
import { expect } from 'chai';

import { testDatabase } from '../harness/root-hooks';

describe('test database adapter (NodeBB Redis semantics, real Redis)', () => {
  const db = () => testDatabase();

  beforeEach(async () => {
    await db().flushAll();
  });

  describe('hashes', () => {
    it('returns null for a missing object and strings for stored values', async () => {
      expect(await db().getObject('pn:none')).to.equal(null);
      await db().setObject('pn:obj', { a: 1, b: true, c: 'x' });
      expect(await db().getObject('pn:obj')).to.deep.equal({ a: '1', b: 'true', c: 'x' });
    });

    it('ignores null, undefined and empty-name fields, and writes nothing for an empty object', async () => {
      await db().setObject('pn:obj', { a: 'kept', ...({ b: null, c: undefined, '': 'x' } as unknown as Record<string, string>) });
      expect(await db().getObject('pn:obj')).to.deep.equal({ a: 'kept' });
      await db().setObject('pn:empty', {});
      expect(await db().exists('pn:empty')).to.equal(false);
    });

    it('writes many objects in one round trip with setObjectBulk, skipping empty ones', async () => {
      const before = db().roundTrips;
      await db().setObjectBulk([['pn:b1', { a: 1 }], ['pn:b2', { b: 'x', ...({ c: null } as unknown as Record<string, string>) }], ['pn:b3', {}]]);
      expect(db().roundTrips - before).to.equal(1);
      expect(await db().getObjects(['pn:b1', 'pn:b2', 'pn:b3'])).to.deep.equal([{ a: '1' }, { b: 'x' }, null]);
      await db().setObjectBulk([]);
    });

    it('reads many objects in one round trip, with null for the missing ones', async () => {
      await db().setObject('pn:1', { n: 1 });
      await db().setObject('pn:3', { n: 3 });
      const before = db().roundTrips;
      const objects = await db().getObjects(['pn:1', 'pn:2', 'pn:3']);
      expect(db().roundTrips - before).to.equal(1);
      expect(objects).to.deep.equal([{ n: '1' }, null, { n: '3' }]);
    });

    it('gives null for missing fields in getObjectField(s) and getObjectsFields', async () => {
      await db().setObject('pn:obj', { a: 'x' });
      expect(await db().getObjectField('pn:obj', 'b')).to.equal(null);
      expect(await db().getObjectFields('pn:obj', ['a', 'b'])).to.deep.equal({ a: 'x', b: null });
      expect(await db().getObjectsFields(['pn:obj', 'pn:none'], ['a'])).to.deep.equal([{ a: 'x' }, { a: null }]);
    });

    it('increments a field atomically and returns the new integer', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => db().incrObjectField('pn:counter', 'n')));
      expect([...results].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await db().incrObjectFieldBy('pn:counter', 'n', 5)).to.equal(25);
    });

    it('deletes fields', async () => {
      await db().setObject('pn:obj', { a: 1, b: 2, c: 3 });
      await db().deleteObjectField('pn:obj', 'a');
      await db().deleteObjectFields('pn:obj', ['b']);
      expect(await db().getObject('pn:obj')).to.deep.equal({ c: '3' });
    });
  });

  describe('sorted sets', () => {
    it('refuses a non-numeric score, as NodeBB does', async () => {
      let caught: unknown;
      try {
        await db().sortedSetAdd('pn:z', Number.NaN, 'a');
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(Error);
      expect((caught as Error).message).to.match(/^\[\[error:invalid-score/);
      expect(await db().sortedSetCard('pn:z')).to.equal(0);
    });

    it('adds singly, in arrays and in bulk, and reads ranges in score order', async () => {
      await db().sortedSetAdd('pn:z', 3, 'c');
      await db().sortedSetAdd('pn:z', [1, 2], ['a', 'b']);
      await db().sortedSetAddBulk([['pn:z', 4, 'd'], ['pn:y', 1, 'x']]);
      await db().sortedSetsAdd(['pn:y', 'pn:w'], 9, 'q');
      expect(await db().getSortedSetRange('pn:z', 0, -1)).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(await db().getSortedSetRevRange('pn:z', 0, 1)).to.deep.equal(['d', 'c']);
      expect(await db().getSortedSetRangeWithScores('pn:z', 0, 0)).to.deep.equal([{ value: 'a', score: 1 }]);
      expect(await db().getSortedSetRevRangeWithScores('pn:z', 0, 0)).to.deep.equal([{ value: 'd', score: 4 }]);
      expect(await db().getSortedSetRange('pn:y', 0, -1)).to.deep.equal(['x', 'q']);
      expect(await db().getSortedSetRange('pn:w', 0, -1)).to.deep.equal(['q']);
    });

    it('takes start and count (not stop) in range-by-score, max before min in reverse', async () => {
      await db().sortedSetAdd('pn:z', [10, 20, 30, 40, 50], ['a', 'b', 'c', 'd', 'e']);
      expect(await db().getSortedSetRangeByScore('pn:z', 1, 2, 15, '+inf')).to.deep.equal(['c', 'd']);
      expect(await db().getSortedSetRangeByScore('pn:z', 0, -1, 25, 45)).to.deep.equal(['c', 'd']);
      expect(await db().getSortedSetRevRangeByScore('pn:z', 0, 2, 45, '-inf')).to.deep.equal(['d', 'c']);
      expect(await db().getSortedSetRangeByScore('pn:z', 0, 0, '-inf', '+inf')).to.deep.equal([]);
    });

    it('reads ranges by score with their scores, forwards and in reverse', async () => {
      await db().sortedSetAdd('pn:z', [10, 20, 30, 40], ['a', 'b', 'c', 'd']);
      expect(await db().getSortedSetRangeByScoreWithScores('pn:z', 1, 2, 15, '+inf')).to.deep.equal([{ value: 'c', score: 30 }, { value: 'd', score: 40 }]);
      expect(await db().getSortedSetRevRangeByScoreWithScores('pn:z', 0, 2, 35, '-inf')).to.deep.equal([{ value: 'c', score: 30 }, { value: 'b', score: 20 }]);
      expect(await db().getSortedSetRangeByScoreWithScores('pn:z', 0, -1, 45, '+inf')).to.deep.equal([]);
    });

    it('scores, counts, membership and removal', async () => {
      await db().sortedSetAdd('pn:z', [1.5, 2, 3], ['a', 'b', 'c']);
      expect(await db().sortedSetScore('pn:z', 'a')).to.equal(1.5);
      expect(await db().sortedSetScore('pn:z', 'none')).to.equal(null);
      expect(await db().sortedSetScores('pn:z', ['b', 'none'])).to.deep.equal([2, null]);
      expect(await db().sortedSetCount('pn:z', 2, '+inf')).to.equal(2);
      expect(await db().isSortedSetMember('pn:z', 'c')).to.equal(true);
      expect(await db().isSortedSetMembers('pn:z', ['c', 'x'])).to.deep.equal([true, false]);
      await db().sortedSetRemove('pn:z', ['a', 'b']);
      expect(await db().sortedSetCard('pn:z')).to.equal(1);
    });
  });

  describe('sets and keys', () => {
    it('adds, checks, lists and removes set members', async () => {
      await db().setAdd('pn:s', ['a', 'b']);
      await db().setAdd('pn:s', 'c');
      expect(await db().isSetMember('pn:s', 'b')).to.equal(true);
      expect((await db().getSetMembers('pn:s')).sort()).to.deep.equal(['a', 'b', 'c']);
      await db().setRemove('pn:s', ['a', 'c']);
      expect(await db().getSetMembers('pn:s')).to.deep.equal(['b']);
    });

    it('reports time to live: -1 without expiry, -2 when missing, seconds otherwise', async () => {
      await db().setObject('pn:ttl', { a: 1 });
      expect(await db().ttl('pn:ttl')).to.equal(-1);
      await db().expire('pn:ttl', 100);
      expect(await db().ttl('pn:ttl')).to.be.within(99, 100);
      expect(await db().ttl('pn:none')).to.equal(-2);
    });

    it('checks existence singly and in bulk, deletes and expires', async () => {
      await db().setObject('pn:a', { x: 1 });
      await db().setObject('pn:b', { x: 1 });
      expect(await db().exists(['pn:a', 'pn:none'])).to.deep.equal([true, false]);
      await db().delete('pn:a');
      expect(await db().exists('pn:a')).to.equal(false);
      await db().deleteAll(['pn:b']);
      expect(await db().exists('pn:b')).to.equal(false);
      await db().setObject('pn:c', { x: 1 });
      await db().expire('pn:c', 1);
      await new Promise(resolve => setTimeout(resolve, 1500));
      expect(await db().exists('pn:c')).to.equal(false);
    });
  });
});
