import { strict as assert } from 'node:assert';
import { buildProgram, main } from '../../src/cli/main';

describe('dx-perception regress', () => {
  it('reads the golden before replaying: a missing golden is named even when the bag is missing too', async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      errors.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['regress', '/nonexistent/bag', '--golden', '/nonexistent/golden.yaml']);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, 1);
    assert.match(errors.join(''), /golden \/nonexistent\/golden\.yaml: cannot read/);
  });

  it('offers no --host-time, which it could not honour', () => {
    const regress = buildProgram().commands.find((c) => c.name() === 'regress')!;
    const flags = regress.options.map((o) => o.long);
    assert.ok(flags.includes('--target-time') && !flags.includes('--host-time'), flags.join(' '));
  });
});
