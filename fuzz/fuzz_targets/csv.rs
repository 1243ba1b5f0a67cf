//! Any bytes as the CSV form of the data sheet, through the streaming reader.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sub) = mignet_formats::workbook::csv::read(data) {
        let ds = common::dataset();
        let _ = sub.figures(ds, "import:fuzz.csv");
    }
});
