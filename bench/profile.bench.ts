// Cost model speed: reading, shape-inferring and costing each shared model on DX-V3, next to
// onnxruntime's own session creation for the same file (the cheapest other way to get shapes).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { predictCost } from '../src/profile/cost_model';
import { loadHardwareProfile } from '../src/profile/hardware_profile';
import { analyzeModel } from '../src/profile/model_analysis';
import { timeMedianMs, type BenchRow } from './harness';

const MODELS_DIR = resolve(__dirname, '..', '..', 'shared', 'models');

export default async function (): Promise<BenchRow[]> {
  const profile = loadHardwareProfile('dx-v3');
  const rows: BenchRow[] = [];
  for (const file of readdirSync(MODELS_DIR).filter((f) => f.endsWith('.onnx')).sort()) {
    const path = join(MODELS_DIR, file);
    const ms = await timeMedianMs(() => predictCost(analyzeModel(path), profile), 5, 1);
    const ortMs = await timeMedianMs(async () => (await ort.InferenceSession.create(path, { logSeverityLevel: 3 })).release(), 5, 1);
    rows.push({ name: `analyze + cost ${file}`, value: ms / ortMs, unit: 'ratio', note: `${ms.toFixed(1)} ms vs onnxruntime session create ${ortMs.toFixed(1)} ms` });
  }
  return rows;
}
