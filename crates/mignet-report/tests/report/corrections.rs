//! Where the brief prints a computed number whose published claim gave another value, it marks the
//! correction there, after the number's unit: the 2022 brief's rise from 231 to 572 is 147.6 per
//! cent, published as 134.

use mignet_report::{Format, build, render};

fn example() -> mignet_core::Dataset {
    mignet_formats::dataset::read_dir(&mignet_test_support::example()).expect("the example reads")
}

#[test]
fn a_corrected_number_is_marked_where_the_brief_prints_it_in_every_format() {
    let ds = example();
    let md = render(&ds, "2022", Format::Markdown).unwrap();
    assert!(
        md.contains("an increase of 147.6 per cent [published as 134] (341 VOTs)"),
        "{md}"
    );
    let html = render(&ds, "2022", Format::Html).unwrap();
    assert!(
        html.contains(
            "147.6</span> per cent<span class=\"correction\"> [published as 134]</span> ("
        ),
        "{html}"
    );
    let typst = build(&ds, "2022", Format::Typst).unwrap();
    let text: String = typst
        .priorities
        .iter()
        .flat_map(|p| {
            p.context.iter().chain(&p.lead).chain(
                p.outcomes
                    .iter()
                    .flat_map(|o| o.context.iter().chain(&o.closing)),
            )
        })
        .cloned()
        .collect();
    assert!(
        text.contains("147\\.6 per cent \\[published as 134\\]"),
        "{text}"
    );
}

/// A number whose claim agrees, and a number with no claim, carry no mark.
#[test]
fn an_agreeing_or_unclaimed_number_carries_no_mark() {
    let mut ds = example();
    let p = ds
        .periods
        .iter_mut()
        .find(|p| p.period.code.as_str() == "2022")
        .unwrap();
    let computed: Vec<f64> = p
        .claims
        .iter()
        .map(|c| {
            let d = p.derived.iter().find(|d| d.id == c.derived).unwrap();
            p.compute(d).unwrap()
        })
        .collect();
    for (c, v) in p.claims.iter_mut().zip(computed) {
        c.published = v;
    }
    let md = render(&ds, "2022", Format::Markdown).unwrap();
    assert!(!md.contains("published as"), "{md}");
    assert!(
        md.contains("an increase of 147.6 per cent (341 VOTs)"),
        "{md}"
    );
}
