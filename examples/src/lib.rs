//! Shared pieces of the `assess` example: the sample orders under
//! `examples/data/` (also used by the tests and the benchmarks), the text
//! report, the back-to-back report ([`b2b`]), the batch mode and a generator
//! of large batch files.
//!
//! Everything here is host code: it may read the clock and the terminal. The
//! engine (`dispute_rules`) never does.

pub mod b2b;
pub mod batch;
pub mod generate;
pub mod report;
pub mod request;
pub mod samples;

/// The Rust blocks of the repository's READMEs, compiled and run as doctests
/// by `cargo test -p dispute-rules-examples --doc`, exactly as printed. (The
/// crate README, `dispute-rules/README.md`, is the core crate's own
/// documentation and is doctested there.) `scripts/check_docs.py snippets`
/// fails for a README with Rust blocks that no crate includes like this.
#[cfg(doctest)]
pub mod readme_doctests {
    #[doc = include_str!("../../README.md")]
    pub struct Readme;
    #[doc = include_str!("../README.md")]
    pub struct ExamplesReadme;
    #[doc = include_str!("../../bindings-c/README.md")]
    pub struct CReadme;
    #[doc = include_str!("../../bindings-py/README.md")]
    pub struct PythonReadme;
    #[doc = include_str!("../../benches/README.md")]
    pub struct BenchesReadme;
}
