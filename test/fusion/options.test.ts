import { strict as assert } from 'node:assert';
import { fusionOptionsSchema, resolveFusionOptions } from '../../src/fusion/options';

describe('fusion/options', () => {
  it('fills every default from an empty object, nested sections included', () => {
    const o = resolveFusionOptions({});
    assert.equal(o.baseFrame, 'base_link');
    assert.equal(o.tracker.confirmHits, 3);
    assert.equal(o.scan.angleIncrement, Math.PI / 360);
    assert.equal(o.topics.scan, 'scan');
    assert.deepEqual(fusionOptionsSchema.parse({}), o);
  });

  it('keeps given values and names bad keys with their values', () => {
    assert.equal(resolveFusionOptions({ tracker: { maxMisses: 4 } }).tracker.maxMisses, 4);
    assert.throws(() => resolveFusionOptions({ tracker: { confirmHits: 0 } }), /fusion\.tracker\.confirmHits/);
    assert.throws(
      () => resolveFusionOptions({ scan: { angleMin: 1, angleMax: 0.5 } }),
      /fusion\.scan\.angleMax = 0\.5: expected more than scan\.angleMin \(1\)/,
    );
  });
});
