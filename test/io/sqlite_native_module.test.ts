import { strict as assert } from 'assert';
import { sqliteNativeModuleError } from '../../src/io/sqlite_storage';

describe('.db3 without better-sqlite3 built', () => {
  it('says what to run instead of blaming the bag', () => {
    // The very error better-sqlite3's loader (the `bindings` package) throws when the addon is absent.
    let missing: Error | undefined;
    try {
      (require('bindings') as (name: string) => unknown)('dx_perception_absent_addon.node');
    } catch (err) {
      missing = err as Error;
    }
    assert.ok(missing, 'the loader fails for an absent addon');
    assert.match(sqliteNativeModuleError(missing)?.message ?? '', /run `npm run setup`.*better-sqlite3/);
    assert.equal(sqliteNativeModuleError(new Error('file is not a database')), undefined);
  });
});
