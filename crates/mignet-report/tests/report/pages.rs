//! The web Highlights in pages: every result of the brief is on exactly one page, in order; the text
//! before the results is on the first page and the text after them on the last; a short brief is one
//! page, the whole brief.

use mignet_report::{Format, render, render_html_page};

fn example() -> mignet_core::Dataset {
    mignet_formats::dataset::read_dir(&mignet_test_support::example()).expect("the example reads")
}

/// The ids of the figures a page prints, in order (`data-item="F-PFA"`).
fn items(html: &str) -> Vec<String> {
    html.split("data-item=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

#[test]
fn every_result_is_on_exactly_one_page_in_order() {
    let ds = example();
    let whole = render(&ds, "2022", Format::Html).unwrap();
    let (one, pages) = render_html_page(&ds, "2022", 1, 10_000, "en")
        .unwrap()
        .unwrap();
    assert_eq!(pages, 1);
    assert!(
        whole.contains(one.trim()),
        "a brief that fits one page is the whole brief"
    );
    assert!(
        one.trim_start().starts_with("<article class=\"brief\""),
        "a fragment for a page"
    );

    let (_, pages) = render_html_page(&ds, "2022", 1, 10, "en").unwrap().unwrap();
    assert!(pages > 2, "the example has more than 20 results");
    let mut seen = Vec::new();
    for page in 1..=pages {
        let (html, n) = render_html_page(&ds, "2022", page, 10, "en")
            .unwrap()
            .unwrap();
        assert_eq!(n, pages);
        assert!(
            html.contains(&format!("Page {page} of {pages}")),
            "page {page}"
        );
        assert_eq!(html.contains("rel=\"next\""), page < pages, "page {page}");
        let first_words = "Computed figures";
        assert_eq!(
            html.contains(first_words),
            page == pages,
            "notes on the last page only"
        );
        seen.extend(items(&html));
    }
    assert_eq!(
        seen,
        items(&whole),
        "each result once, in the brief's order"
    );
    assert!(
        render_html_page(&ds, "2022", pages + 1, 10, "en")
            .unwrap()
            .is_none()
    );
    assert!(
        render_html_page(&ds, "2022", 0, 10, "en")
            .unwrap()
            .is_none()
    );
}
