//! The reporting template: one `.xlsx` per organisation and period, made from the framework.
//!
//! Sheets: `Instructions`; `Figures`, one row per indicator, with the framework's columns locked and
//! the input cells validated; `Lists`, the place and organisation codes the validations draw from;
//! and the hidden `mignet`, with the layout's format, the framework version and the fingerprint of the
//! indicators listed, so that an import knows what the workbook was made from.

use super::parse::FIXED_COLUMNS;
use super::{
    DATA_SHEET, FORMAT, INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET, PARTNER_COLUMNS,
    PLACE_COLUMNS, fingerprint, kind_name,
};
use mignet_core::model::{Dataset, Indicator, IndicatorKind};
use mignet_core::{OrgCode, PeriodCode};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatBorder, Formula, ProtectionOptions,
    XlsxError,
};

#[derive(Debug, thiserror::Error)]
#[error("cannot write the workbook: {0}")]
pub struct TemplateError(#[from] XlsxError);

/// The columns of the data sheet for these indicators: the fixed ones, `value`, one `part:KEY` per
/// disaggregation key used by any of them, the place and co-reporting columns, `note` and `evidence`.
pub fn columns(indicators: &[&Indicator]) -> Vec<String> {
    let mut cols: Vec<String> = FIXED_COLUMNS.iter().map(|s| s.to_string()).collect();
    cols.push("value".into());
    for k in part_keys(indicators) {
        cols.push(format!("part:{k}"));
    }
    cols.extend((1..=PLACE_COLUMNS).map(|n| format!("place {n}")));
    cols.extend((1..=PARTNER_COLUMNS).map(|n| format!("co-reporting {n}")));
    cols.push("note".into());
    cols.push("evidence".into());
    cols
}

fn part_keys(indicators: &[&Indicator]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for i in indicators {
        for d in &i.disaggregations {
            if !keys.contains(&d.key) {
                keys.push(d.key.clone());
            }
        }
    }
    keys
}

/// The template for `organisation` to report `indicators` for `period`, as the bytes of an .xlsx file.
/// The period need not exist yet in the store: the workbook only names it.
pub fn write(
    ds: &Dataset,
    organisation: &OrgCode,
    period: &PeriodCode,
    indicators: &[&Indicator],
) -> Result<Vec<u8>, TemplateError> {
    let mut wb = crate::xlsx::reproducible_workbook();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border_bottom(FormatBorder::Thin);
    let locked = Format::new()
        .set_background_color(Color::RGB(0xF2F2F2))
        .set_text_wrap();
    let input = Format::new().set_unlocked();
    let na = Format::new().set_background_color(Color::RGB(0xBFBFBF));
    let cols = columns(indicators);
    let keys = part_keys(indicators);
    let value_col = FIXED_COLUMNS.len() as u16;
    let place_col = value_col + 1 + keys.len() as u16;
    let partner_col = place_col + PLACE_COLUMNS as u16;
    let note_col = partner_col + PARTNER_COLUMNS as u16;
    let last_row = indicators.len() as u32; // rows 1..=n below the header (0-based)
    let partners: Vec<&str> = ds
        .organisations
        .iter()
        .map(|o| o.code.as_str())
        .filter(|c| *c != organisation.as_str())
        .collect();

    // Instructions first: it is what a person sees on opening the file.
    let ins = wb.add_worksheet();
    ins.set_name(INSTRUCTIONS_SHEET)?;
    ins.set_column_width(0, 110)?;
    let org_name = ds
        .organisation(organisation.as_str())
        .map_or(organisation.as_str(), |o| o.short_name.as_str());
    let lines = [
        format!("{} — reporting workbook", ds.network.short_name),
        format!("Organisation: {organisation} ({org_name})    Period: {period}    Framework: {}", ds.framework.version),
        String::new(),
        "How to fill it in".into(),
        format!("1. Go to the sheet `{DATA_SHEET}`. Each row is one indicator of the results framework. Grey columns are the framework's and are locked."),
        "2. Type your figure in `value`: a whole number for a count, a number from 0 to 100 for a percentage (no % sign), yes or no for a milestone. Leave the row empty if you have nothing to report for that indicator.".into(),
        "3. `part:…` columns are parts of the whole (for example children among people reached): a part can never be larger than the value. Dark grey cells do not apply to that indicator.".into(),
        format!("4. `place 1` … `place {PLACE_COLUMNS}`: the places where the work happened, as the codes of the sheet `{LISTS_SHEET}` ({}; pick from the list, the sheet gives the names).", place_codes_are(ds)),
        format!("5. Joint figures: when other organisations reported the same figure with you, name them in `co-reporting 1` … `co-reporting {PARTNER_COLUMNS}`. The figure is counted once for all of you."),
        "6. `note`: anything the coordinator should know. `evidence`: a link to the report or data behind the figure.".into(),
        "7. Type numbers; do not use formulas, merge cells or hide rows: the import refuses them so that nothing is read that nobody can see.".into(),
        String::new(),
        "Sending it back".into(),
        format!("Send the file to the coordinator, who imports it with `mignet import {organisation}-{period}.xlsx`. The file may also be saved as CSV (UTF-8) from the sheet `{DATA_SHEET}`."),
        "Every problem is reported at once with its sheet, row and column; a file with any problem changes nothing. Imported figures are submitted for review.".into(),
        format!("Do not edit the hidden sheet `{META_SHEET}`: it tells the import which framework this workbook was made from."),
    ];
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (n, l) in lines.iter().enumerate() {
        let f = match n {
            0 => &title,
            3 | 12 => &bold,
            _ => &wrap,
        };
        ins.write_string_with_format(n as u32, 0, l, f)?;
    }
    ins.protect();

    // The data sheet.
    let sh = wb.add_worksheet();
    sh.set_name(DATA_SHEET)?;
    for (c, h) in cols.iter().enumerate() {
        sh.write_string_with_format(0, c as u16, h, &head)?;
    }
    let widths: [f64; 8] = [12.0, 8.0, 12.0, 60.0, 14.0, 11.0, 18.0, 18.0];
    for (c, w) in widths.iter().enumerate() {
        sh.set_column_width(c as u16, *w)?;
    }
    sh.set_column_width(value_col, 12)?;
    sh.set_column_width(note_col, 40)?;
    sh.set_column_width(note_col + 1, 40)?;
    for (n, ind) in indicators.iter().enumerate() {
        let r = n as u32 + 1;
        let disaggs: Vec<String> = ind
            .disaggregations
            .iter()
            .map(|d| {
                if d.label == d.key {
                    d.key.clone()
                } else {
                    format!("{} ({})", d.key, d.label)
                }
            })
            .collect();
        let places: Vec<&str> = ind.places.iter().map(|p| p.as_str()).collect();
        let fixed = [
            organisation.as_str(),
            period.as_str(),
            ind.code.as_str(),
            ind.statement.as_str(),
            ind.unit.as_str(),
            kind_name(ind.kind),
            &disaggs.join(", "),
            &places.join(" "),
        ];
        for (c, v) in fixed.iter().enumerate() {
            sh.write_string_with_format(r, c as u16, *v, &locked)?;
        }
        sh.write_blank(r, value_col, &input)?;
        let rule = match ind.kind {
            IndicatorKind::Count => DataValidation::new()
                .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                .set_error_message("A count is a whole number of 0 or more.")?,
            IndicatorKind::Percentage => DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
                .set_error_message("A percentage is a number from 0 to 100, without the % sign.")?,
            IndicatorKind::Milestone => DataValidation::new()
                .allow_list_strings(&["yes", "no"])?
                .set_error_message("A milestone is yes or no.")?,
        };
        sh.add_data_validation(r, value_col, r, value_col, &rule)?;
        for (k, key) in keys.iter().enumerate() {
            let c = value_col + 1 + k as u16;
            if ind.disaggregations.iter().any(|d| &d.key == key) {
                sh.write_blank(r, c, &input)?;
                let part = DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                    .set_error_message(
                        "A part is a whole number of 0 or more, at most the value.",
                    )?;
                sh.add_data_validation(r, c, r, c, &part)?;
            } else {
                sh.write_blank(r, c, &na)?;
            }
        }
        for c in place_col..note_col + 2 {
            sh.write_blank(r, c, &input)?;
        }
    }
    let places: Vec<&str> = ds.place_codes().collect();
    if last_row > 0 {
        let place_list = DataValidation::new()
            .allow_list_formula(Formula::new(format!(
                "={LISTS_SHEET}!$A$2:$A${}",
                places.len() + 1
            )))
            .set_error_message("Pick a place code from the list (sheet Lists).")?;
        sh.add_data_validation(1, place_col, last_row, partner_col - 1, &place_list)?;
        if !partners.is_empty() {
            let orgs = DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "={LISTS_SHEET}!$D$2:$D${}",
                    partners.len() + 1
                )))
                .set_error_message(
                    "Pick the code of a co-reporting organisation from the list (sheet Lists).",
                )?;
            sh.add_data_validation(1, partner_col, last_row, note_col - 1, &orgs)?;
        }
    }
    sh.set_freeze_panes(1, 3)?;
    // Locked: the framework's columns cannot be edited, and rows cannot be hidden or deleted.
    sh.protect_with_options(&ProtectionOptions {
        format_columns: true,
        ..ProtectionOptions::default()
    });
    sh.set_active(true);

    // Reference lists.
    let lists = wb.add_worksheet();
    lists.set_name(LISTS_SHEET)?;
    for (c, h) in ["place", "name", "local name", "organisation", "name"]
        .iter()
        .enumerate()
    {
        lists.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (n, code) in places.iter().enumerate() {
        let r = n as u32 + 1;
        lists.write_string(r, 0, *code)?;
        lists.write_string(r, 1, ds.place_name(code))?;
        lists.write_string(r, 2, ds.place_local_name(code).unwrap_or(""))?;
    }
    for (n, code) in partners.iter().enumerate() {
        let r = n as u32 + 1;
        lists.write_string(r, 3, *code)?;
        let name = ds.organisation(code).map_or("", |o| o.short_name.as_str());
        lists.write_string(r, 4, name)?;
    }
    for (c, w) in [10.0, 26.0, 22.0, 14.0, 40.0].iter().enumerate() {
        lists.set_column_width(c as u16, *w)?;
    }
    lists.protect();

    // What the workbook was made from.
    let meta = wb.add_worksheet();
    meta.set_name(META_SHEET)?;
    let rows = [
        ("format", FORMAT.to_owned()),
        ("framework", ds.framework.version.clone()),
        ("fingerprint", fingerprint(indicators.iter().copied())),
        ("organisation", organisation.to_string()),
        ("period", period.to_string()),
        ("indicators", indicators.len().to_string()),
    ];
    for (n, (k, v)) in rows.iter().enumerate() {
        meta.write_string(n as u32, 0, *k)?;
        meta.write_string(n as u32, 1, v)?;
    }
    meta.protect();
    meta.set_hidden(true);
    Ok(wb.save_to_buffer()?)
}

/// What the place codes of the network are, for the instructions: ISO 3166-2 codes of its
/// countries (`MM-06`), and P-codes where it has a gazetteer.
fn place_codes_are(ds: &Dataset) -> String {
    let example = ds.place_codes().next().unwrap_or("XX-01");
    let countries = ds.network.countries.join(", ");
    if ds.gazetteer.areas.is_empty() {
        format!("ISO 3166-2 codes of {countries}, such as {example}")
    } else {
        format!(
            "ISO 3166-2 codes of {countries}, such as {example}, or P-codes of the network's gazetteer"
        )
    }
}
