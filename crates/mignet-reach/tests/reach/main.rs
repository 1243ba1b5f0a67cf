//! The reach engine's integration tests, as one test binary (one link of the dependency tree, not one
//! per file); each former file is a module, and `common` holds what they share.

mod against_reference;
mod bad_rows;
mod common;
mod known_counts;
mod pseudonyms;
