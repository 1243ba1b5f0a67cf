//! The `mignet` binary's integration tests, as one test binary (one link of the dependency tree, not one
//! per file): each former file is a module; `common` is the sandbox that runs `mignet` on its own store,
//! `server` reads what `mignet serve` gives out. Fixtures stay in tests/fixtures.

mod browser;
mod cli;
mod common;
mod concurrency;
mod exchange;
mod exports;
mod messages;
mod openapi;
mod pdf;
mod reach_engines;
mod review;
mod round;
mod safe_outputs;
mod serve;
mod server;
mod small_counts;
mod targets;
