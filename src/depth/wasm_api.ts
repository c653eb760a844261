// The slice of the WebAssembly JavaScript API this module uses, typed locally: the project
// compiles against lib ES2022 without DOM, whose WebAssembly declarations live in the DOM libs.
// Keeping the types here avoids adding a global declaration other modules would inherit.

/** A compiled module; opaque, but structured-cloneable to worker threads. */
export interface WasmModule {
  readonly __wasmModule: unique symbol;
}

/** A (shared) linear memory. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}

interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Memory: new (d: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

/** The engine's WebAssembly namespace (present in every Node.js we support). */
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
