//! Typesets the example dataset's 2022 brief without a store, to look at the design while changing it:
//! `cargo run -p mignet-pdf --example brief -- brief.pdf`.

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "brief.pdf".to_owned());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/thailand-2022");
    let ds = mignet_formats::dataset::read_dir(&dir).expect("the example dataset is valid");
    let start = std::time::Instant::now();
    let pdf = mignet_pdf::render(&ds, "2022").expect("the brief typesets");
    eprintln!("{} bytes in {:?}", pdf.len(), start.elapsed());
    std::fs::write(&out, pdf).expect("the PDF is written");
}
