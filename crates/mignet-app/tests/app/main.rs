//! The use cases' integration tests, as one test binary (one link of the dependency tree, not one per
//! file); each former file is a module.

mod demo;
mod edit;
mod read_model;
