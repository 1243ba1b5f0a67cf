//! What the binary's test files share: a sandbox with its own store, the example dataset, the seed's
//! figures, and the third-party readers the outputs are checked with.
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn example() -> PathBuf {
    root().join("examples/thailand-2022")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A temporary folder with its own store (`mignet.db`), where `mignet` runs as the user `tester`.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    /// A fresh store with a dataset folder loaded.
    pub fn loaded_from(dataset: &Path) -> Self {
        let s = Sandbox::new();
        s.ok(&["load", dataset.to_str().unwrap()]);
        s
    }
    /// A fresh store with the Thailand example loaded.
    pub fn loaded() -> Self {
        Self::loaded_from(&example())
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn db(&self) -> String {
        self.path("mignet.db").display().to_string()
    }
    pub fn mignet(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_mignet"))
            .args(["--db", &self.db()])
            .args(args)
            .env("USER", "tester")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }
    /// Runs `mignet`, which must succeed, and returns what it printed.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.mignet(args);
        assert!(
            out.status.success(),
            "mignet {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    /// Runs `mignet`, which must fail, and returns its error output.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.mignet(args);
        assert!(!out.status.success(), "mignet {args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }
}

/// Runs a Python snippet with arguments under `MIGNET_TEST_PYTHON` (default `python3`) and returns what
/// it printed. A missing interpreter or library fails the test (scripts/test.sh installs them).
pub fn python(script: &str, args: &[&Path]) -> String {
    let py = std::env::var("MIGNET_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&py)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {py}: {e} (set MIGNET_TEST_PYTHON)"));
    assert!(
        out.status.success(),
        "{py} failed (are openpyxl and libhxl installed?):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// [`python`], parsing what it printed as JSON.
pub fn python_json(script: &str, args: &[&Path]) -> Value {
    let printed = python(script, args);
    serde_json::from_str(&printed)
        .unwrap_or_else(|e| panic!("the script printed no JSON ({e}):\n{printed}"))
}

/// The seed's figures, in the seed's order: the number as printed, its organisations in order, and a
/// phrase for the one figure that has no number (`tests/fixtures/seed_figures.csv`).
pub fn seed_figures() -> Vec<(String, Vec<String>, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed_figures.csv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            // Quoted fields, no embedded newlines: all the fixture needs.
            let mut fields = vec![String::new()];
            let mut quoted = false;
            for c in line.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => fields.push(String::new()),
                    _ => fields.last_mut().unwrap().push(c),
                }
            }
            (
                fields[0].clone(),
                fields[1].split('|').map(str::to_owned).collect(),
                fields[2].clone(),
            )
        })
        .collect()
}

/// Whether `text` holds `number` as a whole number (not as part of a longer one).
pub fn contains_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(i, _)| {
        let before = text[..i].chars().last();
        let after = text[i + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && !after.is_some_and(|c| {
                c.is_ascii_digit()
                    || (c == ','
                        && text[i + number.len() + 1..].starts_with(|d: char| d.is_ascii_digit()))
            })
    })
}
