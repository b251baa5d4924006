//! The WebAssembly boundary: the only module with `#[wasm_bindgen]` (being built in issue 3).
