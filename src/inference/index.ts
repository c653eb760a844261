// Public surface of the inference module.
export type { BackendOptions, InferenceBackend, InferenceJob, TensorMap } from './backend';
export { DEFAULT_BACKEND_OPTIONS } from './backend';
export { OnnxRuntimeBackend } from './onnxruntime_backend';
export type { TensorElementType, TensorInfo, TensorLike } from './tensor';
export { createPreprocessor, type PreprocessResult, type PreprocessStrategy, type Preprocessor } from './preprocess';
export type { PreprocessOptions } from './preprocess_options';
export type { ImageTransform } from './image_transform';
export { DECODER_NAMES, createDecoder, detectDecoder, type DecoderName, type DetectionDecoder } from './decoders';
export { MODEL_PRESETS } from './model_presets';
export { COCO80, loadLabels } from './labels';
export { Detector, type DetectorInfo } from './detector';
export { toDetection2DArray, type Detection } from './detection';
export { detectorOptionsSchema, parseDetectorOptions, type DetectorOptions, type DetectorOptionsInput } from './detector_options';
export { buildOnnxModel } from './onnx_graph_builder';
