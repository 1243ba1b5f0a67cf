//! Inputs that once broke an importer (found by `cargo fuzz`, docs/fuzzing.md, or by hand), fed again on
//! every test run: each must be answered with figures or errors, never a panic.

use mignet_formats::workbook::{csv, xlsx};
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    files
}

#[test]
fn every_xlsx_regression_input_is_answered_without_a_panic() {
    for f in inputs("xlsx") {
        let bytes = std::fs::read(&f).unwrap();
        let answer = std::panic::catch_unwind(|| xlsx::read(&bytes).map(|s| s.entries.len()));
        assert!(answer.is_ok(), "{} panicked", f.display());
    }
}

#[test]
fn every_csv_regression_input_is_answered_without_a_panic() {
    for f in inputs("csv") {
        let bytes = std::fs::read(&f).unwrap();
        let answer =
            std::panic::catch_unwind(|| csv::read(bytes.as_slice()).map(|s| s.entries.len()));
        assert!(answer.is_ok(), "{} panicked", f.display());
    }
}
