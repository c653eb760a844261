import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { openBag } from '../../src/io/bag_reader';
import { colourShare, renderHtmlToPng } from '../support/render_html';

/** Runs the CLI with `argv`, collecting what it writes to `stream`. */
async function capture(stream: NodeJS.WriteStream, argv: string[]): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof stream.write;
  try {
    return { code: await main(argv), text: chunks.join('') };
  } finally {
    stream.write = write;
  }
}

describe('dx-perception demo', function () {
  this.timeout(300_000);
  const made: string[] = [];
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('runs end to end on a rendered scene, prints the scores and writes a report a person can read', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-'));
    made.push(out);
    const { code, text } = await capture(process.stdout, ['demo', '--duration', '1.5', '--out', out]);
    assert.equal(code, 0, text);
    for (const metric of ['stereo depth error', '3D object position error', 'tracking MOTA / IDF1', 'deadline misses', 'latency stereo_depth']) {
      assert.ok(text.includes(metric), `the table reports "${metric}":\n${text}`);
    }
    // The depth on this scene must meet the accuracy target, as printed.
    const depthErr = Number(/stereo depth error[^\n]*?([\d.]+) %/.exec(text)?.[1]);
    assert.ok(depthErr < 3, `depth error ${depthErr} %`);

    const perception = await openBag(join(out, 'perception_bag'));
    const topics = perception.info.topics.map((t) => t.name);
    await perception.close();
    assert.ok(topics.includes('/perception/tracks') && topics.includes('/perception/scan'), topics.join(', '));

    const report = join(out, 'report.html');
    assert.ok(existsSync(report));
    assert.equal((readFileSync(report, 'utf8').match(/<figure[ >]/g) ?? []).length, 4, 'one panel per camera');
    const png = renderHtmlToPng(report, 1600, 1400);
    // Camera images, below the run's metadata: textured, so that band is far from the flat background.
    assert.ok(colourShare(png, [250, 250, 250], 3, { x: 0, y: 270, w: 1600, h: 250 }) < 0.3, 'camera images are drawn');
    assert.ok(readFileSync(report, 'utf8').includes(`${join(out, 'scene_bag')}<`), 'the report names the scene bag where it ends up');
    // Bird's-eye view: obstacle cloud (grey) and virtual scan (orange).
    assert.ok(colourShare(png, [255, 153, 0], 30) > 0.00002, 'virtual scan drawn');
    assert.ok(colourShare(png, [136, 136, 136], 4) > 0.0005, 'obstacle cloud drawn');
  });

  it('checks its inputs before touching earlier outputs, naming the flag at fault', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-kept-'));
    try {
      for (const dir of ['scene_bag', 'perception_bag']) {
        mkdirSync(join(out, dir));
        writeFileSync(join(out, dir, 'earlier'), dir);
      }
      writeFileSync(join(out, 'report.html'), 'earlier report');
      const before = readdirSync(out).sort();
      const cases: Array<[string[], RegExp]> = [
        [['--bag', join(out, 'missing')], /--bag .*missing/],
        [['--duration', '0'], /--duration must be a positive number of seconds; got "0"/],
        [['--duration', 'abc'], /--duration must be a positive number of seconds; got "abc"/],
        [['--model', join(out, 'none.onnx')], /--model .*none\.onnx: no such file/],
      ];
      for (const [args, expected] of cases) {
        const { code, text } = await capture(process.stderr, ['demo', ...args, '--out', out]);
        assert.equal(code, 1, args.join(' '));
        assert.match(text, expected);
        assert.deepEqual(readdirSync(out).sort(), before, `${args.join(' ')} left the folder as it was`);
        assert.equal(readFileSync(join(out, 'report.html'), 'utf8'), 'earlier report');
        assert.equal(readFileSync(join(out, 'scene_bag', 'earlier'), 'utf8'), 'scene_bag');
        assert.equal(readFileSync(join(out, 'perception_bag', 'earlier'), 'utf8'), 'perception_bag');
      }
      assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith(`.${out.split('/').pop()}-partial-`)), [], 'no staging folder left');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
