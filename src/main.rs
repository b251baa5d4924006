//! The `consortium-sim` binary: the command line in `cli.rs`, over the library.
//!
//! The command line is native only. `cargo test --target wasm32-unknown-unknown` still builds
//! every binary of the package, so on wasm32 this compiles to an empty stub.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
