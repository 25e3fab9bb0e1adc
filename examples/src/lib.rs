//! Shared pieces of the `assess` example: the sample orders under
//! `examples/data/` (also used by the tests and the benchmarks), the text
//! report, the batch mode and a generator of large batch files.
//!
//! Everything here is host code: it may read the clock and the terminal. The
//! engine (`dispute_rules`) never does.

pub mod batch;
pub mod generate;
pub mod report;
pub mod request;
pub mod samples;
