//! The PDF brief typeset from the example dataset, and narrative that looks like typst code printed as
//! the text it is.

fn example() -> mignet_core::Dataset {
    mignet_formats::dataset::read_dir(&mignet_test_support::example())
        .expect("the example dataset is valid")
}

/// The text of a PDF, as `pdftotext` extracts it (required: apt-get install poppler-utils).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is needed to read the PDF back: apt-get install poppler-utils");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_example_typesets_to_a_pdf_of_several_pages() {
    let pdf = mignet_pdf::render(&example(), "2022").unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = pdf_text(&pdf).matches('\u{c}').count();
    assert!((4..=12).contains(&pages), "{pages} pages");
}

#[test]
fn an_unknown_period_is_the_reports_error_not_a_typesetting_one() {
    let err = mignet_pdf::render(&example(), "1999").unwrap_err();
    assert!(matches!(err, mignet_pdf::PdfError::Report(_)), "{err}");
}

#[test]
fn narrative_that_looks_like_typst_code_is_printed_literally() {
    let ds = example();
    let mut model = mignet_report::build(&ds, "2022", mignet_report::Format::Typst).unwrap();
    let hostile =
        "#panic(\"boom\") *not bold* _x_ $y$ // not a comment <lbl> @ref [a] \\ 1. = - + ~ `raw`";
    model.priorities[0].outcomes[0].lines[0].text = mignet_report::escape_typst(hostile);
    let pdf = mignet_pdf::render_model(&model).unwrap();
    let text = pdf_text(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("#panic(\"boom\") *not bold* _x_ $y$ // not a comment <lbl> @ref [a] \\ 1. = - + ~ `raw`"),
        "{flat}"
    );
}

/// The PDF of a period with targets prints each target's progress and the target not reported.
#[test]
fn a_period_with_targets_prints_their_progress() {
    let (_dir, data) = mignet_test_support::example_with(&["targets-2023"]);
    let ds = mignet_formats::dataset::read_dir(&data).unwrap();
    let text = pdf_text(&mignet_pdf::render(&ds, "2023").unwrap());
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "52,000 of 60,000 (86.7 per cent)",
        "not reported (target 70)",
    ] {
        assert!(flat.contains(want), "{want:?} in {flat}");
    }
}

/// The Thai PDF: the brief's own headings and the dataset's translated titles in Thai, typeset in
/// Loma, as `pdftotext` reads them back; the numbers are those of the English PDF.
#[test]
fn the_thai_brief_holds_the_thai_titles() {
    let ds = example();
    let text = pdf_text(&mignet_pdf::render_in(&ds, "2022", "th").unwrap());
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        // The brief's words (locales/th/brief.ftl).
        "ผลการดำเนินงานของภาคีเครือข่ายในปี 2022",
        "ประเด็นสำคัญที่ 1",
        "คณะทำงานย่อย",
        // The dataset's titles (examples/thailand-2022/translations.toml).
        "สรุปผลการดำเนินงาน 2022",
        "คุ้มครองผู้ย้ายถิ่นที่อยู่ในสถานการณ์เปราะบาง",
        // A translated line with its number.
        "เข้าถึงผู้ย้ายถิ่น 74,499 คน",
    ] {
        assert!(flat.contains(want), "{want:?} not in the Thai PDF: {flat}");
    }
    let english = pdf_text(&mignet_pdf::render(&ds, "2022").unwrap());
    for number in ["74,499", "147.6", "2,242,865", "139,389"] {
        assert!(
            english.contains(number) && flat.contains(number),
            "{number}"
        );
    }
}
