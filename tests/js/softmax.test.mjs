import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'probwasm';

const pw = await load();

test('softmax returns a fresh Float64Array summing to 1', () => {
  const p = pw.softmax([1, 0.5, 0.2, -0.3, -1]);
  assert.ok(p instanceof Float64Array);
  assert.equal(p.length, 5);
  assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) <= 4 * Number.EPSILON);
});

test('a bad argument throws a RangeError naming function, parameter and value, and the module keeps working', () => {
  assert.throws(() => pw.softmax([1, NaN]), { name: 'RangeError', message: 'softmax: x[1] must not be NaN, got NaN' });
  assert.throws(() => pw.softmax('abc'), { name: 'TypeError', message: /softmax: x must be a number\[\]/ });
  assert.throws(() => pw.softmax([1, 2], { temperature: 0 }), { name: 'RangeError', message: /temperature must be a positive finite number, got 0/ });
  assert.equal(pw.softmax([0, 0])[0], 0.5);
});

test('load() without options shares one instance', async () => {
  assert.equal(await load(), pw);
});
