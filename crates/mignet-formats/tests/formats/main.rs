//! The readers' and writers' integration tests, as one test binary (one link of the dependency tree, not
//! one per file); each former file is a module. The fuzz regression inputs stay in tests/fuzz-regressions.

mod dataset;
mod fuzz_regressions;
mod workbook;
