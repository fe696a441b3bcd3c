// ddpg-wasm/export: a policy in the deployment formats of `ddpg-wasm export --format onnx|wasm`. A subpath of
// its own so that the main entry (and the browser bundles made from it) does not carry the ONNX protobuf code.
export { policyToOnnx, ONNX_OPSET, ONNX_IR_VERSION, type OnnxExportOptions } from './onnx.js';
export { policyToWasm, readPolicyRuntime, POLICY_DATA_BASE } from './wasm-policy.js';
export { WasmFormatError } from './wasm-sections.js';
