//! The example dataset, read once, for matching what the importers read against a framework.

use mignet_core::Dataset;
use std::sync::OnceLock;

pub fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/thailand-2022");
        mignet_formats::dataset::read_dir(&dir).expect("the example dataset loads")
    })
}
