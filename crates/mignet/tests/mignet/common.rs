//! What the binary's test files share: a sandbox with its own store, the example dataset, the seed's
//! figures, and the third-party readers the outputs are checked with.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use mignet_test_support::{copy_dir, example, python, python_json, tool};

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
    /// A fresh store with the Thailand example and an open period 2023 (no figures yet) loaded.
    pub fn with_open_2023() -> Self {
        let s = Sandbox::new();
        let data = s.path("data");
        copy_dir(&example(), &data);
        std::fs::create_dir_all(data.join("periods/2023")).unwrap();
        std::fs::write(
            data.join("periods/2023/period.toml"),
            "[period]\ncode = \"2023\"\ntitle = \"Highlights 2023\"\nstatus = \"open\"\nframework = \"2022.1\"\n",
        )
        .unwrap();
        s.ok(&["load", data.to_str().unwrap()]);
        s
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
    /// Runs `mignet` with `args` and `-o FILE`, a file in the sandbox, which must succeed; returns the
    /// file's path.
    pub fn ok_to(&self, args: &[&str], file: &str) -> PathBuf {
        let path = self.path(file);
        let mut all = args.to_vec();
        all.extend(["-o", path.to_str().unwrap()]);
        self.ok(&all);
        path
    }
    /// Runs `mignet`, which must fail, and returns its error output.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.mignet(args);
        assert!(!out.status.success(), "mignet {args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }
}

/// The IATI 2.03 schema and codelists, vendored in the repository (tests/fixtures/iati-2.03/README.md).
pub fn iati_schema_dir() -> PathBuf {
    let dir = mignet_test_support::fixture("iati-2.03");
    assert!(
        dir.join("iati-activities-schema.xsd").is_file(),
        "the IATI 2.03 schema is missing: expected {}",
        dir.display()
    );
    dir
}

/// Checks `xml` against the IATI 2.03 activity schema with xmllint (libxml2-utils, required): an
/// invalid file fails the test. Returns what xmllint said.
pub fn assert_valid_iati(xml: &Path) -> String {
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(iati_schema_dir().join("iati-activities-schema.xsd"))
        .arg(xml)
        .output()
        .expect("xmllint is installed (libxml2-utils)");
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "xmllint rejects the IATI export:\n{said}"
    );
    said
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
