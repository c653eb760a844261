// `dx-perception quantize <model.onnx> --out <int8.onnx> --calibration <dir|bag>`: post-training
// static INT8 quantisation to a QDQ graph, then (unless --no-compare) what it did to the
// detector: FP32-vs-INT8 box agreement and the least faithful layers. A thin shell over src/quantize.
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { loadCalibrationFrames } from '../quantize/calibration_source';
import { compareQuantized, type QuantizationReport } from '../quantize/quantization_report';
import { quantizeDetector } from '../quantize/quantize_model';
import { RANGE_METHODS, type RangeMethod } from '../quantize/activation_ranges';
import { formatTable } from './cli_options';
import { integerAtLeast, positiveNumber } from './profile_command';

interface QuantizeCliOptions {
  out: string;
  calibration: string;
  check?: string;
  method: RangeMethod;
  percentile: number;
  maxImages: number;
  compare: boolean;
  layers: number;
  json?: string;
  keepFloat: string[];
}

/** The report lines: agreement, then the `layers` lowest-SQNR layers. */
export function formatQuantizationReport(r: QuantizationReport, layers: number): string {
  const a = r.agreement;
  const pct = a.reference > 0 ? ((100 * a.kept) / a.reference).toFixed(1) : 'n/a';
  const worst = [...r.layers].sort((x, y) => x.sqnrDb - y.sqnrDb).slice(0, layers);
  return [
    `FP32-vs-INT8 agreement over ${r.images} images: ${a.kept}/${a.reference} FP32 boxes kept at IoU >= 0.5, same class (${pct} %); ` +
      `mean IoU ${a.meanIou.toFixed(3)}; ${a.extra} INT8 boxes without an FP32 match`,
    `least faithful layers (output SQNR of INT8 vs FP32, dB; errors accumulate down the graph):`,
    ...formatTable(
      ['layer', 'op', 'SQNR dB'],
      worst.map((l) => [l.node, l.op, l.sqnrDb.toFixed(1)]),
    ),
  ].join('\n');
}

/** Adds the `quantize` subcommand to the `dx-perception` program. */
export function registerQuantizeCommand(program: Command): void {
  program
    .command('quantize')
    .description(
      'Quantize an ONNX detector to INT8 (QDQ: per-channel int8 weights, calibrated uint8 activations) and report FP32-vs-INT8 agreement',
    )
    .argument('<model>', 'FP32 ONNX detector')
    .requiredOption('--out <int8.onnx>', 'where to write the INT8 QDQ model')
    .requiredOption(
      '--calibration <dir|bag>',
      'calibration frames: a folder of .jpg/.png images, or a rosbag2 bag whose camera topics are sampled evenly (DX-COM recommends ~100)',
    )
    .addOption(
      new Option('--method <m>', 'activation range: min-max, percentile, or least round-trip squared error')
        .choices(RANGE_METHODS)
        .default('percentile'),
    )
    .option('--percentile <p>', 'upper percentile for --method percentile', positiveNumber('--percentile'), 99.99)
    .option('--max-images <n>', 'use at most N calibration (and check) images', integerAtLeast('--max-images', 1), 200)
    .option('--check <dir|bag>', 'images or bag to compare FP32 and INT8 on (default: the calibration frames)')
    .option(
      '--keep-float <layers>',
      'comma-separated MAC layers to leave FP32: node names, "first" (reads the image), "heads" (feed the outputs), "sensitive:N" (the N with the largest SQNR drop)',
      (v: string) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      [],
    )
    .option('--no-compare', 'skip the FP32-vs-INT8 comparison')
    .option('--layers <n>', 'list the N least faithful layers', integerAtLeast('--layers', 0), 10)
    .option('--json <file>', 'also write the comparison as JSON')
    .action(async (model: string, o: QuantizeCliOptions) => {
      if (o.percentile <= 50 || o.percentile > 100)
        throw new InvalidArgumentError(`--percentile = ${o.percentile}; expected a value in (50, 100]`);
      const images = (await loadCalibrationFrames(o.calibration, o.maxImages)).map((i) => i.image);
      const s = await quantizeDetector(model, o.out, images, { method: o.method, percentile: o.percentile }, o.keepFloat);
      const kept = s.keptFloat.length > 0 ? `; kept FP32: ${s.keptFloat.join(', ')}` : '';
      for (const d of s.sensitive) console.log(`sensitive layer kept FP32: ${d.node} (SQNR drop ${d.dropDb.toFixed(1)} dB in all-INT8)`);
      console.log(
        `wrote ${o.out}: ${s.quantizedWeights} weights int8 per channel, ${s.quantizedActivations} activations uint8 (${o.method}), calibrated on ${s.calibrationInputs} images${kept}`,
      );
      if (!o.compare) return;
      const checked = o.check ? (await loadCalibrationFrames(o.check, o.maxImages, '--check')).map((i) => i.image) : images;
      const report = await compareQuantized(model, o.out, checked);
      console.log(formatQuantizationReport(report, o.layers));
      if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    });
}
