//! Any bytes as a filled-in workbook: the reader must return figures or errors, never panic, and never
//! take memory the input chooses (libFuzzer's -rss_limit_mb catches that).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sub) = mignet_formats::workbook::xlsx::read(data) {
        let ds = common::dataset();
        let _ = sub.same_framework(ds);
        let _ = sub.figures(ds, "import:fuzz.xlsx");
    }
});
