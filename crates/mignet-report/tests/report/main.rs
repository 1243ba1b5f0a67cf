//! The report's integration tests, as one test binary (one link of the dependency tree, not one per
//! file); each former file is a module.

mod corrections;
mod joint;
mod languages;
mod pages;
mod targets;
mod typst;
