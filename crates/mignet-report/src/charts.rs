//! Charts of the brief's headline figures as standalone SVG text: pure functions of the data, with no
//! fonts, files or plotting crate, so that the PDF brief and the web dashboard draw the same picture.
//!
//! The SVG names its fonts (`Liberation Sans`, then `Loma` for Thai, then any sans-serif) and gives
//! every size in user units on a fixed `viewBox`, so it scales to any width.
//!
//! ```no_run
//! # fn demo(dataset: &mignet_core::Dataset) {
//! let svg = mignet_report::charts::people_chart(dataset, "2022");
//! assert!(svg.is_none_or(|s| s.starts_with("<svg")));
//! # }
//! ```

use mignet_core::model::{Dataset, FigureStatus, FigureValue, Indicator};
use mignet_core::numbers;

/// One bar: what it measures, who reported it, its value and the value as printed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Bar {
    pub label: String,
    /// A second, quieter line (the organisations, or how many results were joint).
    pub detail: String,
    pub value: f64,
    pub shown: String,
    /// The figure the bar draws (its id), for a chart whose bars link to their figures.
    pub figure: String,
    /// What the value counts, as the figure's unit (`migrants`, `1 campaign`'s `campaign`).
    pub unit: String,
    /// The label unshortened, for a chart that wraps its labels rather than cutting them.
    pub full_label: String,
    /// `en` when the label is the dataset's English in a chart of another language (no translation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'static str>,
}

const BLUE: &str = "#0b5ea8";
const SKY: &str = "#009edb";
const INK: &str = "#1d2733";
const MUTED: &str = "#5a6673";
const RULE: &str = "#d6dee6";
const FONT: &str = "Liberation Sans, Loma, sans-serif";

/// How many bars the chart of people reached holds.
pub const LARGEST: usize = 8;

/// The brief's chart (HTML and PDF alike): the [`LARGEST`] approved counts of people of the period,
/// with their organisations; `None` when the period has none. Only counts of people are drawn, so
/// the axis has one unit; no chart of the brief ranks organisations against each other.
pub fn people_chart(ds: &Dataset, period: &str) -> Option<String> {
    people_chart_in(ds, period, crate::words::ENGLISH)
}

/// [`people_chart`] with its words in `lang`, and the indicators' statements where the dataset
/// translates them.
pub fn people_chart_in(ds: &Dataset, period: &str, lang: &str) -> Option<String> {
    let bars = largest_counts_of_people(ds, period, LARGEST, lang);
    let count = i64::try_from(bars.len()).unwrap_or(i64::MAX);
    (!bars.is_empty()).then(|| {
        bar_chart(
            &crate::words::text_with(
                lang,
                "chart-people-title",
                &[("count", count.into()), ("period", period.into())],
            ),
            &bars,
        )
    })
}

/// The `n` largest approved counts of people of the period (`Indicator::counts_people`), largest
/// first, labelled by what their indicator counts: one unit on the axis. The web's overview draws
/// these too. In a language other than English, a bar is labelled by its indicator's statement as
/// the dataset translates it, else by the English label, marked as English.
pub fn largest_counts_of_people(ds: &Dataset, period: &str, n: usize, lang: &str) -> Vec<Bar> {
    let Some(p) = ds.period(period) else {
        return Vec::new();
    };
    let mut bars: Vec<(u64, Bar)> = approved_counts(ds, p)
        .filter(|(_, ind, _)| ind.counts_people())
        .map(|(f, ind, value)| {
            let orgs: Vec<String> = f
                .organisations
                .iter()
                .map(|o| {
                    ds.organisation(o.as_str())
                        .map_or(o.to_string(), |x| x.short_name.clone())
                })
                .collect();
            let translated = (lang != crate::words::ENGLISH)
                .then(|| ds.translations.get(lang, &ind.statement))
                .flatten();
            let full_label = match translated {
                Some(t) => t.to_owned(),
                None => capitalised(what_it_counts(&ind.statement)),
            };
            (
                value,
                Bar {
                    label: shorten(full_label.clone(), 58),
                    lang: (lang != crate::words::ENGLISH && translated.is_none()).then_some("en"),
                    detail: orgs.join(" · "),
                    value: value as f64,
                    shown: numbers::group(value as f64, 0),
                    figure: f.id.to_string(),
                    unit: numbers::unit_for(&ind.unit, f),
                    full_label,
                },
            )
        })
        .collect();
    // Largest first; equal values keep the data's order, so the chart is the same on every run.
    bars.sort_by_key(|b| std::cmp::Reverse(b.0));
    bars.into_iter().take(n).map(|(_, b)| b).collect()
}

/// The period's approved figures that are counts, each with its indicator and value, in the data's
/// order: what the chart of people reached and the headline results choose from.
pub(crate) fn approved_counts<'a>(
    ds: &'a Dataset,
    p: &'a mignet_core::model::PeriodData,
) -> impl Iterator<Item = (&'a mignet_core::Figure, &'a Indicator, u64)> + 'a {
    p.figures
        .iter()
        .filter(|f| f.status == FigureStatus::Approved)
        .filter_map(move |f| {
            let FigureValue::Count { value } = f.value else {
                return None;
            };
            Some((f, ds.indicator(f.indicator.as_str())?, value))
        })
}

/// A horizontal bar chart: each bar under its label, its value printed at its end, bars scaled to the
/// largest value; `title` names it to screen readers, and each bar is read as its label and value.
/// An empty list gives an empty chart of zero height rather than an error.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    const WIDTH: f64 = 520.0;
    const ROW: f64 = 36.0;
    const BAR_H: f64 = 11.0;
    const VALUE_ROOM: f64 = 70.0;
    let height = ROW * bars.len() as f64;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-family=\"{FONT}\" role=\"img\" aria-label=\"{}\">\n\
         <title>{}</title>\n",
        xml(title),
        xml(&described(title, bars)),
    );
    for (i, b) in bars.iter().enumerate() {
        let top = ROW * i as f64;
        let len = if max > 0.0 {
            ((WIDTH - VALUE_ROOM) * b.value / max).max(2.0)
        } else {
            2.0
        };
        let bar_y = top + 17.0;
        svg.push_str(&format!(
            "  <g>\n    <text x=\"0\" y=\"{:.1}\" font-size=\"10.5\" fill=\"{INK}\"{}>{}\
             <tspan dx=\"7\" fill=\"{MUTED}\" font-size=\"9\">{}</tspan></text>\n",
            top + 11.0,
            b.lang.map(|l| format!(" lang=\"{l}\"")).unwrap_or_default(),
            xml(&b.label),
            xml(&b.detail),
        ));
        svg.push_str(&format!(
            "    <rect x=\"0\" y=\"{bar_y:.1}\" width=\"{:.1}\" height=\"{BAR_H}\" fill=\"{}\"/>\n",
            WIDTH - VALUE_ROOM,
            RULE,
        ));
        svg.push_str(&format!(
            "    <rect x=\"0\" y=\"{bar_y:.1}\" width=\"{len:.1}\" height=\"{BAR_H}\" fill=\"{}\"/>\n",
            if i == 0 { BLUE } else { SKY },
        ));
        svg.push_str(&format!(
            "    <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-weight=\"bold\" fill=\"{BLUE}\">{}</text>\n  </g>\n",
            WIDTH - VALUE_ROOM + 6.0,
            bar_y + BAR_H - 1.5,
            xml(&b.shown),
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// The chart in words: its title, then each bar's label, organisations and value.
fn described(title: &str, bars: &[Bar]) -> String {
    let each: Vec<String> = bars
        .iter()
        .map(|b| format!("{} ({}): {}", b.label, b.detail, b.shown))
        .collect();
    format!("{title}. {}.", each.join("; "))
}

/// An indicator's series against its targets as a horizontal bar chart, baseline to latest period:
/// one row for the baseline and one per period, the bar the period's actual (approved figures), a
/// tick at the period's annual target, the progress as the brief prints it after the bar. `None`
/// for an indicator without a baseline or a target, or with no number to draw (a milestone, a
/// percentage reported by several organisations, nothing reported).
pub fn progress_chart(ds: &Dataset, ind: &Indicator) -> Option<String> {
    use mignet_core::progress::{self, Actual};
    if ind.baseline.is_none() && ind.targets.is_empty() {
        return None;
    }
    // (label, actual, annual target, text after the bar)
    let mut rows: Vec<(String, Option<f64>, Option<f64>, String)> = Vec::new();
    if let Some(b) = &ind.baseline {
        rows.push((
            format!("Baseline {}", b.year),
            Some(b.value),
            None,
            progress::format_value(ind.kind, b.value),
        ));
    }
    for point in progress::series(ds, ind) {
        let annual = point.targets.iter().find(|t| !t.cumulative);
        let text = match annual {
            Some(t) => t.text_for(ind.kind),
            None => point.actual.text(ind.kind),
        };
        let value = match point.actual {
            Actual::Number { value } => Some(value),
            _ => None,
        };
        rows.push((
            point.period.to_string(),
            value,
            annual.map(|t| t.target),
            text,
        ));
    }
    if ind.kind == mignet_core::model::IndicatorKind::Milestone
        || rows.iter().all(|(_, v, _, _)| v.is_none())
    {
        return None;
    }
    const WIDTH: f64 = 520.0;
    const ROW: f64 = 24.0;
    const BAR_H: f64 = 11.0;
    const LABEL: f64 = 84.0;
    const TEXT_ROOM: f64 = 200.0;
    let room = WIDTH - LABEL - TEXT_ROOM;
    let height = ROW * rows.len() as f64;
    let max = rows
        .iter()
        .flat_map(|(_, v, t, _)| [*v, *t])
        .flatten()
        .fold(0.0_f64, f64::max);
    let scale = |v: f64| if max > 0.0 { room * v / max } else { 0.0 };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-family=\"{FONT}\" role=\"img\">\n"
    );
    for (i, (label, value, target, text)) in rows.iter().enumerate() {
        let bar_y = ROW * i as f64 + (ROW - BAR_H) / 2.0;
        svg.push_str(&format!(
            "  <g>\n    <text x=\"0\" y=\"{:.1}\" font-size=\"10.5\" fill=\"{INK}\">{}</text>\n",
            bar_y + BAR_H - 1.5,
            xml(label),
        ));
        svg.push_str(&format!(
            "    <rect x=\"{LABEL}\" y=\"{bar_y:.1}\" width=\"{room:.1}\" height=\"{BAR_H}\" fill=\"{RULE}\"/>\n"
        ));
        if let Some(v) = value {
            svg.push_str(&format!(
                "    <rect x=\"{LABEL}\" y=\"{bar_y:.1}\" width=\"{:.1}\" height=\"{BAR_H}\" fill=\"{}\"/>\n",
                scale(*v).max(1.0),
                if i == 0 && ind.baseline.is_some() { MUTED } else { SKY },
            ));
        }
        if let Some(t) = target {
            let x = LABEL + scale(*t);
            svg.push_str(&format!(
                "    <line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{BLUE}\" stroke-width=\"2.5\"><title>target {}</title></line>\n",
                bar_y - 3.0,
                bar_y + BAR_H + 3.0,
                xml(&mignet_core::progress::format_value(ind.kind, *t)),
            ));
        }
        svg.push_str(&format!(
            "    <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9.5\" fill=\"{BLUE}\">{}</text>\n  </g>\n",
            LABEL + room + 6.0,
            bar_y + BAR_H - 1.5,
            xml(text),
        ));
    }
    svg.push_str("</svg>\n");
    Some(svg)
}

/// `Number of migrants reached ...` -> `Migrants reached ...`.
/// What an indicator counts: its statement without a leading `Number of `.
pub(crate) fn what_it_counts(statement: &str) -> &str {
    statement
        .strip_prefix("Number of ")
        .unwrap_or(statement)
        .trim()
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// At most `max` characters, cut at a word and marked with an ellipsis.
pub(crate) fn shorten(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) => &cut[..i],
        None => &cut[..],
    };
    format!(
        "{}\u{2026}",
        cut.trim_end_matches([',', ';', ':', ' ', '('])
    )
}

fn xml(s: &str) -> String {
    crate::text::escape_html(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_owned(),
            detail: "ILO · IOM".to_owned(),
            value,
            shown: numbers::group(value, 0),
            figure: "F-1".to_owned(),
            unit: "migrants".to_owned(),
            full_label: label.to_owned(),
            lang: None,
        }
    }

    #[test]
    fn the_largest_bar_spans_the_bar_area_and_the_others_are_in_proportion() {
        let svg = bar_chart(
            "Reached",
            &[bar("Views", 200_000.0), bar("Migrants", 50_000.0)],
        );
        assert!(
            svg.contains("width=\"450.0\" height=\"11\" fill=\"#0b5ea8\""),
            "{svg}"
        );
        assert!(
            svg.contains("width=\"112.5\" height=\"11\" fill=\"#009edb\""),
            "{svg}"
        );
        assert!(svg.contains(">200,000</text>") && svg.contains(">50,000</text>"));
    }

    #[test]
    fn labels_are_escaped_as_xml() {
        let svg = bar_chart(
            "Shelters & <more>",
            &[bar("Shelters <children & families>", 3.0)],
        );
        assert!(
            svg.contains("Shelters &lt;children &amp; families&gt;"),
            "{svg}"
        );
        assert!(!svg.contains("<children"));
        assert!(
            svg.contains("aria-label=\"Shelters &amp; &lt;more&gt;\""),
            "{svg}"
        );
    }

    #[test]
    fn an_empty_chart_is_valid_svg_of_zero_height() {
        let svg = bar_chart("Nothing", &[]);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 520 0\""));
    }

    #[test]
    fn long_labels_are_cut_at_a_word_with_an_ellipsis() {
        let s = shorten(
            "Migrants reached with COVID-19 information, education and communication".into(),
            40,
        );
        assert_eq!(s, "Migrants reached with COVID-19\u{2026}");
        assert_eq!(
            capitalised(what_it_counts("Number of views of online campaigns")),
            "Views of online campaigns"
        );
    }
}
