//! The store's integration tests, as one test binary (one link of the dependency tree, not one per
//! file): `contract`, the store's contract on SQLite and on PostgreSQL (scripts/test.sh runs it first,
//! alone, as `cargo test -p mignet-store --test store -- contract::`), and `vocabulary`, the SQL
//! constraints against the model's vocabularies.

mod contract;
mod vocabulary;
