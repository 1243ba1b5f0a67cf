//! The dataset folder reader, on the shipped example and on broken copies of it.

use mignet_core::FigureValue;
use mignet_formats::dataset::{DatasetError, read_dir};
use mignet_test_support::{copy_dir, example};
use std::path::Path;

/// A copy of the example with `file` edited by `edit`, read back.
fn read_edited(file: &str, edit: impl FnOnce(String) -> String) -> Vec<DatasetError> {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), tmp.path());
    let path = tmp.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit must change {file}");
    std::fs::write(&path, edited).unwrap();
    read_dir(tmp.path()).expect_err("the edited dataset must be refused")
}

fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(example().join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in file")
        + 1
}

#[test]
fn the_thailand_example_reads_without_errors() {
    let ds = read_dir(&example()).unwrap_or_else(|errs| {
        panic!(
            "{}",
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let p = ds.period("2022").expect("period 2022");
    assert_eq!(ds.framework.priorities.len(), 3);
    assert_eq!(ds.framework.outcomes.len(), 7);
    assert!(p.figures.len() >= 30, "{} figures", p.figures.len());
    assert_eq!(ds.groups.len(), 2);
    assert!(!p.claims.is_empty());
}

#[test]
fn an_unknown_organisation_is_reported_with_file_line_field_and_a_suggestion() {
    let errs = read_edited("periods/2022/figures.toml", |t| {
        t.replacen("\"UNHCR\"", "\"UNHRC\"", 1)
    });
    let e = errs
        .iter()
        .find(|e| e.message.contains("UNHRC"))
        .expect("an error naming UNHRC");
    assert_eq!(e.file, "periods/2022/figures.toml");
    assert_eq!(e.field.as_deref(), Some("organisations"));
    assert_eq!(
        e.line,
        Some(line_of("periods/2022/figures.toml", "\"UNHCR\""))
    );
    assert!(e.message.contains("did you mean `UNHCR`"), "{e}");
}

#[test]
fn broken_toml_is_reported_with_its_line() {
    let errs = read_edited("framework.toml", |t| {
        t.replacen("[[indicator]]", "[[indicator]\n", 1)
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].file, "framework.toml");
    assert_eq!(
        errs[0].line,
        Some(line_of("framework.toml", "[[indicator]]"))
    );
}

#[test]
fn a_figure_for_an_indicator_that_does_not_exist_is_refused() {
    let errs = read_edited("periods/2022/figures.toml", |t| {
        t.replacen("indicator = \"P1.O1.I01\"", "indicator = \"P9.O9.I99\"", 1)
    });
    assert!(
        errs.iter().any(|e| e.field.as_deref() == Some("indicator")
            && e.message.contains("unknown indicator `P9.O9.I99`")),
        "{errs:?}"
    );
}

#[test]
fn a_negative_count_is_refused() {
    let errs = read_edited("periods/2022/figures.toml", |t| {
        t.replacen("value = 74499", "value = -74499", 1)
    });
    assert!(
        errs.iter()
            .any(|e| e.field.as_deref() == Some("value") && e.message.contains("negative")),
        "{errs:?}"
    );
}

#[test]
fn a_duplicate_code_is_refused_with_the_line_of_the_first_use() {
    let errs = read_edited("framework.toml", |t| {
        t.replacen("code = \"P1.O1.I02\"", "code = \"P1.O1.I01\"", 1)
    });
    let e = errs
        .iter()
        .find(|e| e.message.contains("duplicate code `P1.O1.I01`"))
        .expect("duplicate error");
    assert!(
        e.message.contains(&format!(
            "line {}",
            line_of("framework.toml", "code = \"P1.O1.I01\"")
        )),
        "{e}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let errs = read_edited("periods/2022/figures.toml", |t| {
        t.replacen("value = 74499", "value = -1", 1)
            .replacen("\"UNHCR\"", "\"NOPE\"", 1)
            .replacen("\"TH-10\"", "\"TH-99\"", 1)
    });
    assert!(errs.len() >= 3, "{errs:?}");
}

#[test]
fn a_reference_in_text_to_a_missing_figure_is_refused() {
    let errs = read_edited("periods/2022/highlights.toml", |t| {
        t.replacen("{F-PFA}", "{F-PFAX}", 1)
    });
    assert!(
        errs.iter()
            .any(|e| e.file.ends_with("highlights.toml") && e.message.contains("F-PFAX")),
        "{errs:?}"
    );
}

/// The example with the joint-figures fixture (tests/fixtures/joint-2023) copied over it.
fn with_joint_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), tmp.path());
    copy_dir(&mignet_test_support::fixture("joint-2023"), tmp.path());
    tmp
}

#[test]
fn joint_figures_take_their_value_from_their_method() {
    use mignet_core::{FigureValue, JointMethod};
    let tmp = with_joint_fixture();
    let ds = read_dir(tmp.path()).unwrap_or_else(|e| panic!("{e:?}"));
    let p = ds.period("2023").unwrap();
    let got = |id: &str| {
        let f = p.figure(id).unwrap();
        (f.value, f.joint)
    };
    let count = |value| FigureValue::Count { value };
    // By construction of the records file: 10 people, 24 records, overlap 3 (see its README).
    assert_eq!(
        got("F-J-RECORDS"),
        (
            count(10),
            JointMethod::Records {
                records: 24,
                overlap: 3
            }
        )
    );
    assert_eq!(got("F-J-SUM"), (count(200), JointMethod::Sum));
    assert_eq!(got("F-J-MAX"), (count(120), JointMethod::Max));
    assert_eq!(
        got("F-J-DECLARED"),
        (count(170), JointMethod::DeclaredOverlap { overlap: 30 })
    );
    assert_eq!(got("F-J-REPORTED"), (count(150), JointMethod::Reported));
    // The 2022 figures, joint ones included, stay as typed.
    assert!(
        ds.period("2022")
            .unwrap()
            .figures
            .iter()
            .all(|f| f.joint == JointMethod::Reported)
    );
}

fn joint_errors(edit: impl FnOnce(&Path)) -> Vec<DatasetError> {
    let tmp = with_joint_fixture();
    edit(tmp.path());
    read_dir(tmp.path()).expect_err("the edited dataset must be refused")
}

fn edit_file(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} in {file}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_records_reference_to_a_missing_file_is_located_at_the_figure() {
    let errs = joint_errors(|d| {
        edit_file(
            d,
            "periods/2023/figures.toml",
            "records/services-2023.csv",
            "records/services-2032.csv",
        )
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].file, "periods/2023/figures.toml");
    assert_eq!(errs[0].line, Some(9));
    assert_eq!(errs[0].field.as_deref(), Some("records"));
    assert!(
        errs[0]
            .message
            .contains("cannot read `records/services-2032.csv`")
    );
}

#[test]
fn a_records_path_outside_the_dataset_folder_is_refused() {
    let errs = joint_errors(|d| {
        edit_file(
            d,
            "periods/2023/figures.toml",
            "records/services-2023.csv",
            "../services-2023.csv",
        )
    });
    assert_eq!(errs[0].field.as_deref(), Some("records"), "{errs:?}");
    assert!(errs[0].message.contains("inside the dataset folder"));
}

#[test]
fn a_bad_record_is_located_by_its_file_and_line() {
    let errs = joint_errors(|d| {
        let path = d.join("records/services-2023.csv");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("99,WHO,P1.O1.I01,2023-02-30,TH-10,00000000000000aa,F,adult,MMR\n");
        std::fs::write(path, text).unwrap();
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].file, "records/services-2023.csv");
    assert_eq!(errs[0].line, Some(31)); // header + 29 rows + this one
    assert!(errs[0].message.contains("bad date"), "{}", errs[0]);
    assert!(
        errs[0].message.contains("figure F-J-RECORDS"),
        "{}",
        errs[0]
    );
}

#[test]
fn an_organisation_without_records_is_refused_rather_than_counted_as_nobody() {
    let errs = joint_errors(|d| {
        edit_file(
            d,
            "periods/2023/figures.toml",
            "[\"IOM\", \"UNICEF\", \"WHO\"]",
            "[\"IOM\", \"UNICEF\", \"UNHCR\"]",
        )
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].message.contains("no records of `UNHCR`"),
        "{}",
        errs[0]
    );
}

#[test]
fn a_declared_overlap_larger_than_the_smaller_parts_is_refused() {
    let errs = joint_errors(|d| {
        edit_file(
            d,
            "periods/2023/figures.toml",
            "overlap = 30",
            "overlap = 81",
        )
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].field.as_deref(), Some("overlap"));
    assert!(errs[0].message.contains("at most 80"), "{}", errs[0]);
}

#[test]
fn parts_must_name_exactly_the_figures_organisations() {
    let errs = joint_errors(|d| {
        edit_file(
            d,
            "periods/2023/figures.toml",
            "parts = { IOM = 120, UNICEF = 80 }",
            "parts = { IOM = 120, UNICEFF = 80 }",
        )
    });
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 2, "{msgs:?}");
    assert!(msgs[0].contains("no figure for `UNICEF`"), "{msgs:?}");
    assert!(msgs[1].contains("`UNICEFF` is not one of"), "{msgs:?}");
}

#[test]
fn a_typed_value_must_agree_with_the_joint_computation() {
    let errs = joint_errors(|d| {
        edit_file(
            d,
            "periods/2023/figures.toml",
            "joint = \"sum\"",
            "joint = \"sum\"\nvalue = 210",
        )
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].field.as_deref(), Some("value"));
}

#[test]
fn the_json_export_gives_each_joint_figures_method_in_counts() {
    let tmp = with_joint_fixture();
    let ds = read_dir(tmp.path()).unwrap();
    let doc = mignet_formats::json::period_document(&ds, ds.period("2023").unwrap());
    let figure = |id: &str| {
        doc["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        figure("F-J-RECORDS")["joint_method"],
        serde_json::json!({"method": "records", "records": 24, "overlap": 3,
                           "description": "exact, from 24 records, overlap 3"})
    );
    assert_eq!(figure("F-J-RECORDS")["value"]["value"], 10);
    assert_eq!(figure("F-J-SUM")["joint_method"]["method"], "sum");
    assert_eq!(figure("F-J-DECLARED")["joint_method"]["overlap"], 30);
    assert_eq!(figure("F-J-REPORTED")["joint_method"]["method"], "reported");
    let single = read_dir(&example()).unwrap();
    let doc22 = mignet_formats::json::period_document(&single, single.period("2022").unwrap());
    let one = doc22["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["organisations"].as_array().unwrap().len() == 1)
        .unwrap();
    assert!(one["joint_method"].is_null());
}

/// The reader applies the same indicator rules as the framework editor (mignet_core::rules), so an
/// indicator that loads can always be edited: an SDG target that does not exist is refused on load,
/// not only when edited later.
#[test]
fn an_sdg_target_that_does_not_exist_is_refused_on_load_as_the_editor_refuses_it() {
    let errs = read_edited("framework.toml", |t| t.replacen("\"10.7\"", "\"10.99\"", 1));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].field.as_deref(), Some("sdg"));
    assert!(errs[0].message.contains("10.99"), "{}", errs[0].message);
    assert!(errs[0].line.is_some());
}

#[test]
fn a_count_indicator_without_a_unit_is_refused_with_its_field() {
    let errs = read_edited("framework.toml", |t| {
        let at = t.find("unit = ").expect("a unit in the framework");
        let end = at + t[at..].find('\n').unwrap();
        format!("{}{}", &t[..at], &t[end + 1..])
    });
    assert!(
        errs.iter().any(|e| e.field.as_deref() == Some("unit")),
        "{errs:?}"
    );
}

#[test]
fn a_note_or_a_narrative_text_over_its_length_limit_is_refused_with_file_line_and_field() {
    use mignet_core::limits::{MAX_NARRATIVE, MAX_NOTE};
    let errs = read_edited("periods/2022/figures.toml", |t| {
        t.replacen(
            "value = 74499",
            &format!("value = 74499\nnote = \"{}\"", "n".repeat(MAX_NOTE + 1)),
            1,
        )
    });
    let e = errs
        .iter()
        .find(|e| e.field.as_deref() == Some("note"))
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert_eq!(e.file, "periods/2022/figures.toml");
    assert!(e.line.is_some() && e.message.contains("4000"), "{e}");
    let errs = read_edited("periods/2022/highlights.toml", |t| {
        t.replacen(
            "text = \"**{F-COVID-IEC} migrants reached**",
            &format!(
                "text = \"{}**{{F-COVID-IEC}} migrants reached**",
                "x".repeat(MAX_NARRATIVE)
            ),
            1,
        )
    });
    assert!(
        errs.iter().any(|e| e.file == "periods/2022/highlights.toml"
            && e.field.as_deref() == Some("text")
            && e.message.contains("20000")),
        "{errs:?}"
    );
}

/// Words of the parser that a person who writes a dataset should never have to read.
const PARSER_WORDS: &[&str] = &[
    "invalid type",
    "invalid value",
    "untagged",
    "variant",
    "deserialize",
    "sequence",
    "struct ",
    "i64",
    "u64",
    "missing field",
    "unknown field",
    "did not match",
    "expected one of",
];

/// One mistake, one error: each kind of bad input is answered with exactly one error that names the
/// file, the line and the field and speaks the dataset's words, not the parser's. The line is the
/// one the mistake is on (found by `at`, a text of the edited line in the edited file).
#[test]
fn each_kind_of_bad_input_gives_one_plain_error_at_its_file_line_and_field() {
    // (file, from, to (first occurrence), field, words the message must hold)
    let figures = "periods/2022/figures.toml";
    let period = "periods/2022/period.toml";
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            figures,
            "value = 74499",
            "value = \"lots\"",
            "value",
            "is not a number as mignet reads one",
        ),
        (
            figures,
            "value = 74499",
            "value = \"130-100\"",
            "value",
            "the top of a range must be above its bottom",
        ),
        (
            figures,
            "value = 74499",
            "value = \"USD 74,499\"",
            "value",
            "not an amount of USD",
        ),
        (
            figures,
            "value = 74499",
            "qualifier = \"roughly\"\nvalue = 74499",
            "qualifier",
            "roughly",
        ),
        (
            figures,
            "value = 74499",
            "currency = \"USX\"\nvalue = 74499",
            "currency",
            "no ISO 4217 currency code",
        ),
        (
            figures,
            "value = 74499",
            "high = 70000\nvalue = 74499",
            "high",
            "is not above the value",
        ),
        (
            figures,
            "value = 74499",
            "in_words = true\nvalue = 74499",
            "in_words",
            "not a number reports write as a word",
        ),
        (
            figures,
            "value = 74499",
            "date = \"2023-06\"\nvalue = 74499",
            "date",
            "goes with a milestone",
        ),
        (
            figures,
            "value = 74499",
            "milestone = \"done\"\nvalue = 74499",
            "milestone",
            "done",
        ),
        (
            figures,
            "value = 74499",
            "value = 74499.5",
            "value",
            "is not a whole number",
        ),
        (
            figures,
            "value = 74499",
            "value = -74499",
            "value",
            "is negative",
        ),
        (
            figures,
            "value = 74499",
            "valeu = 74499",
            "valeu",
            "did you mean `value`?",
        ),
        (
            figures,
            "indicator = \"P1.O1.I01\"",
            "indicator = \"P1.O1.I99\"",
            "indicator",
            "unknown indicator `P1.O1.I99`",
        ),
        (
            figures,
            "organisations = [\"UNICEF\"]",
            "organisations = [\"UNICFE\"]",
            "organisations",
            "did you mean `UNICEF`?",
        ),
        (
            figures,
            "organisations = [\"UNICEF\"]",
            "organisations = \"UNICEF\"",
            "organisations",
            "where a list in square brackets belongs",
        ),
        (
            figures,
            "organisations = [\"UNICEF\"]",
            "organisations = [\"RTG\"]",
            "organisations",
            "is not a member of the network",
        ),
        (
            figures,
            "children = 2233",
            "children = 5000",
            "disaggregation",
            "5,000 children is more than the whole of 4,805 people",
        ),
        (
            figures,
            "children = 2233",
            "adults = 2233",
            "disaggregation",
            "has no disaggregation `adults`",
        ),
        (
            figures,
            "children = 2233",
            "children = \"2,233\"",
            "disaggregation",
            "found the text \"2,233\", where a number belongs",
        ),
        (
            figures,
            "places = [\"TH-10\",",
            "places = [\"TH-99\",",
            "places",
            "`TH-99` is neither an ISO 3166-2 subdivision of TH nor a P-code",
        ),
        (
            figures,
            "places = [\"TH-10\",",
            "places = [\"TH-1O\",",
            "places",
            "(did you mean `TH-10`?)",
        ),
        (
            figures,
            "places = [\"TH-10\",",
            "places = [\"MM-06\",",
            "places",
            "Yangon (MM-06) is in Myanmar, not in the network's country (TH)",
        ),
        (
            figures,
            "places = [\"TH-10\",",
            "places = [\"th-10\",",
            "places",
            "`th-10` is not a place code",
        ),
        (
            figures,
            "places = [\"TH-10\",",
            "in_areas = 3\nplaces = [\"TH-10\",",
            "in_areas",
            "give `locations` too",
        ),
        (
            figures,
            "places = [\"TH-10\",",
            "in_areas = 3\nlocations = 2\nplaces = [\"TH-10\",",
            "in_areas",
            "3 provinces cannot hold only 2 locations",
        ),
        (
            figures,
            "places = [\"TH-10\",",
            "sites = \"Mae Sot hospital\"\nplaces = [\"TH-10\",",
            "sites",
            "where a list in square brackets belongs",
        ),
        (
            "framework.toml",
            "places = [\"TH-10\",",
            "places = [\"MM-06\",",
            "places",
            "Yangon (MM-06) is in Myanmar",
        ),
        (
            "network.toml",
            "country = \"TH\"",
            "country = \"THA\"",
            "country",
            "`THA` is not an ISO 3166-1 two-letter country code (did you mean `TH`, Thailand?)",
        ),
        (
            "network.toml",
            "country = \"TH\"",
            "countries = [\"TH\", \"XM\"]",
            "countries",
            "`XM` is not an ISO 3166-1 two-letter country code",
        ),
        (
            "network.toml",
            "country = \"TH\"",
            "country = 66",
            "country",
            "where a country code or a list of them belongs: write for example `country = \"KH\"`",
        ),
        (
            figures,
            "status = \"approved\"",
            "status = \"aproved\"",
            "status",
            "aproved",
        ),
        (
            period,
            "id = \"C-VOT-DIFF\"",
            "id = \"C-VOT-INCREASE\"",
            "id",
            "duplicate claim id `C-VOT-INCREASE`",
        ),
        (
            "network.toml",
            "kind = \"un_agency\"",
            "kind = \"agency\"",
            "kind",
            "agency",
        ),
        (
            "network.toml",
            "member = true",
            "member = \"yes\"",
            "member",
            "where `true` or `false` belongs",
        ),
        (
            "framework.toml",
            "gcm = [3, 15]",
            "gcm = [3, 24]",
            "gcm",
            "24 is not a Global Compact for Migration objective",
        ),
        (
            "framework.toml",
            "sdg = [\"3.8\", \"3.d\"]",
            "sdg = [\"3.8\", \"3.99\"]",
            "sdg",
            "`3.99` is not an SDG target",
        ),
        (
            "framework.toml",
            "kind = \"count\"",
            "kind = \"number\"",
            "kind",
            "number",
        ),
        (
            period,
            "value = 143727626",
            "value = \"143 million\"",
            "value",
            "found the text \"143 million\", where a number belongs",
        ),
        (
            period,
            "starts = \"2022-01-01\"",
            "starts = \"2022-13-01\"",
            "starts",
            "is not a date",
        ),
        (
            period,
            "published = 134",
            "published = \"134 per cent\"",
            "published",
            "where a number belongs",
        ),
        (
            period,
            "kind = \"difference\"",
            "kind = \"diff\"",
            "kind",
            "diff",
        ),
        (
            "periods/2022/highlights.toml",
            "figures = [\"F-PFA\"]",
            "figures = [\"F-PFAA\"]",
            "figures",
            "unknown figure `F-PFAA` (did you mean `F-PFA`?)",
        ),
        (
            "framework.toml",
            "gcm = [3, 15]",
            "targets = [ { period = \"2031\", value = 5000 } ]\ngcm = [3, 15]",
            "targets",
            "target period `2031` is not a period of the dataset",
        ),
        (
            "framework.toml",
            "gcm = [3, 15]",
            "targets = [ { period = \"2023\", value = -5000 } ]\ngcm = [3, 15]",
            "targets",
            "a target cannot be negative",
        ),
        (
            "framework.toml",
            "gcm = [3, 15]\nsdg = [\"3.d\"]",
            "targets = [ { period = \"2022\", value = 2 } ]\ngcm = [3, 15]\nsdg = [\"3.d\"]",
            "targets",
            "a milestone's target is 1 (achieved)",
        ),
    ];
    assert!(cases.len() >= 20);
    let mut wrong = Vec::new();
    for &(file, from, to, field, words) in cases {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&example(), tmp.path());
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        let edited = text.replacen(from, to, 1);
        std::fs::write(&path, &edited).unwrap();
        let errors = read_dir(tmp.path()).expect_err("the edited dataset must be refused");
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let line = text[..text.find(from).unwrap()].matches('\n').count() + 1;
        let plain = errors.len() == 1
            && errors[0].file == file
            && errors[0].line == Some(line)
            && errors[0].field.as_deref() == Some(field)
            && errors[0].message.contains(words)
            && !PARSER_WORDS.iter().any(|w| errors[0].message.contains(w));
        if !plain {
            wrong.push(format!(
                "`{to}` in {file}: expected one error at line {line}, field `{field}`, holding {words:?}; got {shown:#?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A mistake in one file leaves the other files checked in the same run.
#[test]
fn a_broken_network_file_does_not_hide_the_mistakes_of_the_period_files() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), tmp.path());
    for (file, from, to) in [
        ("network.toml", "member = true", "member = \"yes\""),
        (
            "periods/2022/figures.toml",
            "value = 74499",
            "value = \"lots\"",
        ),
    ] {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    let errors = read_dir(tmp.path()).expect_err("refused");
    let files: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        vec!["network.toml", "periods/2022/figures.toml"],
        "{errors:#?}"
    );
}

/// `mignet check` names what is stored but shown by no brief: a statistic and a footnote nothing
/// quotes. The example itself has none.
#[test]
fn check_names_a_statistic_and_a_footnote_that_no_text_quotes() {
    let not_shown = |ds: &mignet_core::Dataset| -> Vec<String> {
        mignet_core::check(ds, Some("2022"))
            .into_iter()
            .filter(|f| f.rule == "not_shown")
            .map(|f| f.subject)
            .collect()
    };
    assert_eq!(
        not_shown(&read_dir(&example()).unwrap()),
        Vec::<String>::new()
    );
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), tmp.path());
    let path = tmp.path().join("periods/2022/period.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n[[statistic]]\nid = \"S-UNQUOTED\"\nlabel = \"A number no text quotes\"\nvalue = 12\nsource = \"A survey\"\n\n[[footnote]]\nid = \"fn-unused\"\ntext = \"A note nothing refers to.\"\n",
    );
    std::fs::write(&path, text).unwrap();
    let ds = read_dir(tmp.path()).unwrap();
    assert_eq!(
        not_shown(&ds),
        vec!["statistic S-UNQUOTED", "footnote fn-unused"]
    );
}

/// A percentage target is at most 100, and only counts add up across periods: each mistake is one
/// error at the indicator's `targets` line.
#[test]
fn a_percentage_target_over_100_or_cumulative_is_refused_at_its_line() {
    for (targets, words) in [
        (
            "{ period = \"2023\", value = 120 }",
            "is 120 per cent: a percentage target is at most 100",
        ),
        (
            "{ period = \"2023\", value = 50, cumulative = true }",
            "is cumulative: only counts add up across periods",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&example(), tmp.path());
        let path = tmp.path().join("framework.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!(
            "\n[[indicator]]\ncode = \"P1.O1.I99\"\noutcome = \"P1.O1\"\n\
             statement = \"Share of migrants covered\"\nunit = \"per cent\"\nkind = \"percentage\"\n\
             targets = [ {targets} ]\n"
        ));
        let line = text.lines().count();
        std::fs::write(&path, &text).unwrap();
        let errors = read_dir(tmp.path()).expect_err("the target must be refused");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].file, "framework.toml");
        assert_eq!(errors[0].line, Some(line));
        assert_eq!(errors[0].field.as_deref(), Some("targets"));
        assert!(errors[0].message.contains(words), "{}", errors[0].message);
    }
}

/// Both forms of a target are read: an annual one (the period's own) and a cumulative one.
#[test]
fn annual_and_cumulative_targets_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), tmp.path());
    let path = tmp.path().join("framework.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "gcm = [3, 15]",
        "targets = [ { period = \"2023\", value = 5000 }, \
         { period = \"2023\", value = 20000, cumulative = true } ]\ngcm = [3, 15]",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let ds = read_dir(tmp.path()).unwrap();
    let t = &ds.indicator("P1.O1.I01").unwrap().targets;
    assert_eq!(t.len(), 2);
    assert_eq!(
        (t[0].period.as_str(), t[0].value, t[0].cumulative),
        ("2023", 5000.0, false)
    );
    assert_eq!(
        (t[1].period.as_str(), t[1].value, t[1].cumulative),
        ("2023", 20000.0, true)
    );
}

/// The example with the stated-values fixture over it (tests/fixtures/stated-2023): its two extra
/// indicators appended to the framework.
fn with_stated_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, data) = mignet_test_support::example_with(&["stated-2023"]);
    let extra = std::fs::read_to_string(data.join("framework-append.toml")).unwrap();
    std::fs::remove_file(data.join("framework-append.toml")).unwrap();
    let framework = data.join("framework.toml");
    let text = std::fs::read_to_string(&framework).unwrap();
    std::fs::write(&framework, text + &extra).unwrap();
    (dir, data)
}

/// Values held as the report stated them: the number for sums, and beside it the qualifier, the
/// range, the currency, the word, the fraction, the milestone's status and date.
#[test]
fn values_are_read_as_reports_state_them() {
    use mignet_core::stated::{MilestoneStatus, Qualifier};
    let (_dir, data) = with_stated_fixture();
    let ds = read_dir(&data).unwrap_or_else(|e| panic!("{e:#?}"));
    let p = ds.period("2023").unwrap();
    let f = |id: &str| p.figure(id).unwrap();
    let printed = |id: &str| mignet_core::numbers::format_figure(f(id));

    assert_eq!(f("F-S-OVER").value, FigureValue::Count { value: 65000 });
    assert_eq!(f("F-S-OVER").stated.qualifier, Some(Qualifier::Over));
    assert_eq!(printed("F-S-OVER"), "over 65,000");
    assert_eq!(f("F-S-RANGE").stated.high, Some(130.0));
    assert_eq!(printed("F-S-RANGE"), "100–130");
    assert_eq!(printed("F-S-WORDS"), "six");
    assert_eq!(
        f("F-S-MONEY").value,
        FigureValue::Count { value: 19_100_000 }
    );
    assert!(f("F-S-MONEY").stated.cumulative);
    assert_eq!(printed("F-S-MONEY"), "USD 19.1 million");
    assert_eq!(printed("F-S-SHARE"), "about 37.5 per cent");
    assert_eq!(f("F-S-SHARE").stated.denominator, Some(120.0));
    assert_eq!(
        f("F-S-HOTLINE").value,
        FigureValue::Milestone { achieved: false }
    );
    assert_eq!(
        f("F-S-HOTLINE").stated.milestone,
        Some(MilestoneStatus::Delayed)
    );
    assert_eq!(printed("F-S-HOTLINE"), "delayed (2023-06)");
}

/// A percentage must agree with the numerator and denominator it gives.
#[test]
fn a_percentage_that_disagrees_with_its_fraction_is_refused() {
    let (_dir, data) = with_stated_fixture();
    let figures = data.join("periods/2023/figures.toml");
    let text = std::fs::read_to_string(&figures).unwrap();
    std::fs::write(&figures, text.replace("value = 37.5", "value = 40")).unwrap();
    let errors = read_dir(&data).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].field.as_deref(), Some("value"));
    assert!(
        errors[0]
            .message
            .contains("is not 45 of 120 (37.5 per cent)"),
        "{}",
        errors[0].message
    );
}

/// `mignet check`'s data-quality rules: each implausible value is a warning naming the values that set
/// it off, and the clean example sets none off.
#[test]
fn check_warns_of_implausible_values_with_the_values_that_set_it_off() {
    let quality = |ds: &mignet_core::Dataset| -> Vec<(String, String, String)> {
        mignet_core::check(ds, None)
            .into_iter()
            .filter(|f| f.level == mignet_core::Level::Warning)
            .map(|f| (f.rule.to_owned(), f.subject, f.message))
            .collect()
    };
    assert_eq!(
        quality(&read_dir(&example()).unwrap()),
        vec![],
        "the example is clean"
    );

    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example(), tmp.path());
    let period = tmp.path().join("periods/2023/period.toml");
    let mut text = std::fs::read_to_string(&period).unwrap();
    text.push_str(
        r#"
[[statistic]]
id = "S-DOSES-TOTAL"
label = "COVID-19 vaccine doses administered in Thailand"
value = 1437276260
unit = "doses"
source = "a test: ten times the 2022 value"
"#,
    );
    std::fs::write(&period, text).unwrap();
    std::fs::write(
        tmp.path().join("periods/2023/figures.toml"),
        r#"
[[figure]]
id = "F-IEC-2023"
indicator = "P1.O1.I01"
organisations = ["ILO", "IOM", "UNICEF", "UNWOMEN", "WHO"]
value = 744990
status = "approved"

[[figure]]
id = "F-HOTLINE-2023"
indicator = "P1.O1.I07"
organisations = ["IOM"]
milestone = "achieved"
date = "2024-02"
status = "approved"
"#,
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("periods/2023/highlights.toml"),
        r#"
[[line]]
outcome = "P1.O1"
figures = ["F-IEC-2023"]
text = "**{F-IEC-2023} migrants reached**, of whom 744,990 with leaflets, as {S-DOSES-TOTAL} doses were given."
"#,
    )
    .unwrap();
    let ds = read_dir(tmp.path()).unwrap_or_else(|e| panic!("{e:#?}"));
    let found = quality(&ds);
    let rule = |r: &str| {
        found
            .iter()
            .find(|(rule, _, _)| rule == r)
            .unwrap_or_else(|| panic!("no {r} in {found:#?}"))
    };
    let (_, subject, message) = rule("outlier");
    assert_eq!(subject, "figure F-IEC-2023");
    assert!(
        message.contains("744,990 in 2023") && message.contains("74,499 in 2022"),
        "{message}"
    );
    let (_, subject, message) = rule("statistic_jump");
    assert_eq!(subject, "statistic S-DOSES-TOTAL");
    assert!(message.contains("143,727,626 in 2022"), "{message}");
    let (_, subject, message) = rule("date_outside_period");
    assert_eq!(subject, "figure F-HOTLINE-2023");
    assert!(message.contains("2024-02"), "{message}");
    let (_, _, message) = rule("number_in_narrative");
    assert!(message.contains("write {F-IEC-2023}"), "{message}");
    assert_eq!(found.len(), 4, "{found:#?}");
}

// ---------------------------------------------------------------- places of any country

/// The invented Myanmar example: a country other than Thailand, a gazetteer at three levels.
fn myanmar() -> std::path::PathBuf {
    mignet_test_support::root().join("examples/myanmar-2024")
}

/// A copy of the Myanmar example with `file` written as `text` (or edited), read back.
fn myanmar_with(
    files: &[(&str, &dyn Fn(String) -> String)],
) -> Result<mignet_core::Dataset, Vec<DatasetError>> {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&myanmar(), tmp.path());
    for (file, edit) in files {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, edit(text)).unwrap();
    }
    read_dir(tmp.path())
}

#[test]
fn a_network_of_another_country_reads_with_places_below_the_first_level() {
    let ds = read_dir(&myanmar()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(ds.network.countries, ["MM"]);
    assert_eq!(ds.gazetteer.areas.len(), 6);
    assert_eq!(ds.place_name("MMR013D003S001"), "Hlaing Tharyar");
    assert_eq!(ds.place_local_name("MMR013D003S001"), Some("လှိုင်သာယာ"));
    assert_eq!(ds.place_name("MM-15"), "Mon");
    assert_eq!(ds.area_word().many, "regions/states");
    let p = ds.period("2024").unwrap();
    let health = p.figure("F-HEALTH").unwrap();
    assert_eq!(
        health.places.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["MM-15", "MMR013D003S001"]
    );
    assert_eq!(health.sites, ["Hlaing Tharyar community clinic"]);
    let referrals = p.figure("F-REFERRALS").unwrap();
    assert_eq!(
        (referrals.locations, referrals.in_areas),
        (Some(12), Some(4))
    );
    assert!(referrals.places.is_empty());
    // A Thai place in this network is someone's mistake, named with the item and its line.
    let errs = myanmar_with(&[("periods/2024/figures.toml", &|t| {
        t.replacen("places = [\"MM-15\"", "places = [\"TH-63\"", 1)
    })])
    .unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].file, "periods/2024/figures.toml");
    assert_eq!(errs[0].field.as_deref(), Some("places"));
    assert_eq!(
        errs[0].line,
        Some(line_in(
            &myanmar().join("periods/2024/figures.toml"),
            "places = [\"MM-15\""
        ))
    );
    assert!(
        errs[0]
            .message
            .contains("Tak (TH-63) is in Thailand, not in the network's country (MM)"),
        "{errs:#?}"
    );
    // Named with both countries, the network takes both.
    let ds = myanmar_with(&[
        ("network.toml", &|t| {
            t.replacen("country = \"MM\"", "countries = [\"MM\", \"TH\"]", 1)
        }),
        ("periods/2024/figures.toml", &|t| {
            t.replacen("places = [\"MM-15\"", "places = [\"TH-63\"", 1)
        }),
    ])
    .unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(ds.network.countries, ["MM", "TH"]);
}

fn line_in(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn a_p_code_the_gazetteer_does_not_have_is_refused_with_the_nearest() {
    let errs = myanmar_with(&[("periods/2024/figures.toml", &|t| {
        t.replacen("\"MMR013D003S001\"]", "\"MMR013D003S01\"]", 1)
    })])
    .unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].field.as_deref(), Some("places"));
    assert!(
        errs[0].message.contains("`MMR013D003S01` is neither an ISO 3166-2 subdivision of MM nor a P-code of the network's gazetteer (did you mean `MMR013D003S001`?)"),
        "{errs:#?}"
    );
}

/// Each mistake of a gazetteer row is one error at places.csv, the row's line and the column.
#[test]
fn gazetteer_rows_are_checked_for_parent_and_level() {
    let cases: &[(&str, &str, usize, &str, &str)] = &[
        // (row as written, replaced by, line, column, words)
        (
            "MMR013D003,Yangon (West),,MMR013,2",
            "MMR013D003,Yangon (West),,MMR099,2",
            3,
            "parent",
            "`MMR099` is not a P-code of the gazetteer (did you mean `MMR013`?)",
        ),
        (
            "MMR013D003S001,Hlaing Tharyar,လှိုင်သာယာ,MMR013D003,3",
            "MMR013D003S001,Hlaing Tharyar,လှိုင်သာယာ,MMR013,3",
            4,
            "parent",
            "`MMR013` is at level 1: the parent of a level-3 area is at level 2",
        ),
        (
            "MMR015D001,Mawlamyine,,MMR015,2",
            "MMR015D001,Mawlamyine,,,2",
            6,
            "parent",
            "a level-2 area needs its level-1 parent",
        ),
        (
            "MMR015,Mon,မွန်,MM-15,1",
            "MMR015,Mon,မွန်,TH-63,1",
            5,
            "parent",
            "a level-1 area lies in an ISO 3166-2 subdivision of MM or in none",
        ),
        (
            "MMR015D001S002,Kyaikmaraw,,MMR015D001,3",
            "MMR015D001S002,Kyaikmaraw,,MMR015D001,4",
            7,
            "level",
            "level 4 is not 1, 2 or 3",
        ),
        (
            "MMR015D001S002,Kyaikmaraw,,MMR015D001,3",
            "MMR015D001S002,Kyaikmaraw,,MMR015D001,three",
            7,
            "level",
            "`three` is not a level",
        ),
        (
            "MMR015D001S002,Kyaikmaraw,,MMR015D001,3",
            "MMR015D001,Kyaikmaraw,,MMR015D001,3",
            7,
            "pcode",
            "`MMR015D001` is already the P-code of row 5",
        ),
        (
            "pcode,name,local_name,parent,level",
            "pcode,name,local_name,parent,levle",
            1,
            "levle",
            "unknown column `levle` (did you mean `level`?)",
        ),
    ];
    let mut wrong = Vec::new();
    for &(from, to, line, field, words) in cases {
        let r = myanmar_with(&[("places.csv", &|t: String| {
            assert!(t.contains(from), "places.csv has no `{from}`");
            t.replacen(from, to, 1)
        })]);
        let errs = match r {
            Ok(_) => vec![],
            Err(e) => e,
        };
        // A row refused for its level names no place, so the figure naming it is refused too:
        // only the gazetteer's own errors are counted here.
        let own: Vec<&DatasetError> = errs.iter().filter(|e| e.file == "places.csv").collect();
        let plain = own.len() == 1
            && own[0].line == Some(line)
            && own[0].field.as_deref() == Some(field)
            && own[0].message.contains(words);
        if !plain {
            wrong.push(format!("`{to}`: expected one error at line {line}, column `{field}`, holding {words:?}; got {errs:#?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn boundaries_name_places_of_the_network() {
    let polygon = |pcode: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"pcode":"{pcode}"}},"geometry":{{"type":"Polygon","coordinates":[[[96.0,16.8],[96.2,16.8],[96.2,17.0],[96.0,16.8]]]}}}}"#
        )
    };
    let collection = |features: &[String]| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    };
    let good = collection(&[polygon("MMR013"), polygon("MM-15")]);
    let ds = myanmar_with(&[("boundaries.geojson", &|_| good.clone())])
        .unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(ds.gazetteer.boundaries.as_deref(), Some(good.as_str()));
    let bad = collection(&[polygon("MMR013"), polygon("MMR031")]);
    let errs = myanmar_with(&[("boundaries.geojson", &|_| bad.clone())]).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].file, "boundaries.geojson");
    assert_eq!(
        errs[0].field.as_deref(),
        Some("features[1].properties.pcode")
    );
    assert!(
        errs[0].message.contains("(did you mean `MMR013`?)"),
        "{errs:#?}"
    );
    let errs =
        myanmar_with(&[("boundaries.geojson", &|_| "{\"type\": \"Feature\"}".into())]).unwrap_err();
    assert!(
        errs[0]
            .message
            .contains("must be a GeoJSON FeatureCollection"),
        "{errs:#?}"
    );
}

#[test]
fn the_example_round_of_2023_reads_with_its_dates_and_assignments_in_order() {
    let ds = read_dir(&example()).unwrap();
    let round = &ds.period("2023").unwrap().period.round;
    assert_eq!(round.due.as_deref(), Some("2024-02-16"));
    let first = &round.assignments[0];
    assert_eq!(
        (first.organisation.as_str(), first.indicator.as_str()),
        ("ILO", "P1.O1.I01")
    );
}

#[test]
fn a_round_with_a_bad_date_dates_out_of_order_an_unknown_code_or_a_repeat_gives_one_located_error_each()
 {
    let file = "periods/2023/period.toml";
    let errs = read_edited(file, |t| {
        t.replace("due = \"2024-02-16\"", "due = \"16/02/2024\"")
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].field.as_deref(), Some("due"));
    assert!(
        errs[0]
            .message
            .contains("is not a date: write it as YYYY-MM-DD")
    );

    let errs = read_edited(file, |t| {
        t.replace("publishes = \"2024-03-29\"", "publishes = \"2024-02-01\"")
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        errs[0].message,
        "the round publishes on 2024-02-01, before it due on 2024-02-16"
    );

    let errs = read_edited(file, |t| {
        t.replacen("organisation = \"ILO\"", "organisation = \"ILOO\"", 1)
            .replacen(
                "[\"P1.O1.I01\", \"P1.O1.I04\"",
                "[\"P1.O1.I01\", \"P9.O1.I04\"",
                1,
            )
    });
    // One error for the unknown organisation, however many indicators it is given; one for the
    // unknown indicator.
    let unknown_org: Vec<_> = errs
        .iter()
        .filter(|e| e.message.starts_with("unknown organisation `ILOO`"))
        .collect();
    assert_eq!((unknown_org.len(), errs.len()), (1, 2), "{errs:?}");
    assert!(
        unknown_org[0].message.contains("did you mean `ILO`"),
        "{errs:?}"
    );
    assert_eq!(
        unknown_org[0].line,
        Some(line_of(file, "organisation = \"ILO\""))
    );
    assert!(
        errs.iter()
            .any(|e| e.message.starts_with("unknown indicator `P9.O1.I04`")),
        "{errs:?}"
    );

    let errs = read_edited(file, |t| {
        t.replacen(
            "[\"P1.O1.I01\", \"P1.O1.I04\"",
            "[\"P1.O1.I01\", \"P1.O1.I01\"",
            1,
        )
    });
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .message
            .contains("`P1.O1.I01` is assigned to ILO twice"),
        "{errs:?}"
    );
}
