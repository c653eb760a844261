// Public surface of the hardware profiles and the ONNX cost model.
export { calibrate, fitCalibration, type CalibrateOptions, type CalibrationFit } from './calibrate';
export { predictCost, predictLayerCost, runsOnNpu, type Device, type LayerCost, type ModelCost } from './cost_model';
export { frameBudget, type FrameBudget, type FrameBudgetOptions, type StageBudget, type StageKind } from './frame_budget';
export {
  PROFILES_DIR,
  hardwareProfileSchema,
  listHardwareProfiles,
  loadHardwareProfile,
  npuBytesPerElement,
  npuPeakMacsPerSec,
  parseHardwareProfile,
  type HardwareProfile,
} from './hardware_profile';
export { measureHostProfile, PROBE_MACS, type HostMeasureOptions } from './host_profile';
export { analyzeModel, type AnalyzeOptions, type LayerAnalysis, type ModelAnalysis } from './model_analysis';
export { measureOnnxLatency, timeRunsInterleaved } from './onnx_timing';
export { readOnnxGraph, type GraphNode, type OnnxGraph } from './onnx_graph';
export { inferShapes, SUPPORTED_SHAPE_OPS, type ShapeMap, type TensorInfo } from './shape_inference';
export { parseTimingReport, readTimingReport, type LatencyMeasurement } from './timing_report';
