// The node's signal handling: Ctrl-C on `ros2 launch` delivers SIGINT twice (the terminal's to
// the process group, then launch's forwarded one); the second must not kill the node before its
// shutdown (the drop summary) is done.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { onShutdownSignals } from '../../src/ros/shutdown_signals';

const MODULE = join(__dirname, '../../src/ros/shutdown_signals.ts');

describe('ros/onShutdownSignals', () => {
  it('stops once, on the first SIGINT or SIGTERM, and keeps handling (ignoring) later ones', () => {
    const target = new EventEmitter();
    const stops: string[] = [];
    const remove = onShutdownSignals((reason) => stops.push(reason), target);
    target.emit('SIGTERM');
    target.emit('SIGINT');
    target.emit('SIGINT');
    assert.deepEqual(stops, ['SIGTERM']);
    assert.equal(target.listenerCount('SIGINT'), 1, 'a later SIGINT must still find a handler');
    remove();
    assert.equal(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM'), 0);
  });

  it('a process that gets SIGINT twice during its shutdown finishes it and exits 0', async function () {
    this.timeout(60_000);
    // The child stops slowly (like the node finishing its frame sets); the parent signals twice.
    const script = `
      const { onShutdownSignals } = require(${JSON.stringify(MODULE)});
      onShutdownSignals((reason) => setTimeout(() => { console.log('summary after ' + reason); process.exit(0); }, 500));
      console.log('ready');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready') && !child.killed) {
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 100);
      }
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    assert.equal(signal, null, `the second SIGINT killed the process (${out.trim()})`);
    assert.equal(code, 0);
    assert.match(out, /summary after SIGINT/);
  });
});
