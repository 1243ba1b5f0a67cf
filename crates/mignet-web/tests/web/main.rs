//! The web application's integration tests, as one test binary (one link of the dependency tree, not
//! one per file); each former file is a module, and `common` is their harness: the application through
//! its router, without a socket.

mod common;
mod concurrency;
mod consent;
mod editions;
mod exchange;
mod input_fuzz;
mod joint;
mod languages;
mod leaks;
mod limits;
mod matrix;
mod messages;
mod operator;
mod outputs;
mod places;
mod review;
mod round;
mod search;
mod targets;
mod web;
