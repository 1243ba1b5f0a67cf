//! `translations.toml`: the dataset's texts in other languages (docs/translations.md). Each entry
//! names the English text it translates exactly as the dataset writes it; what a translation must
//! be is `mignet_core::translate::check`.

use super::*;
use mignet_core::translate::{self, Translations};
use std::collections::BTreeMap;

impl Reader {
    pub(super) fn translations(
        &mut self,
        src: &Source,
        f: raw::TranslationsFile,
        ds: &Dataset,
    ) -> Translations {
        let texts: BTreeMap<String, bool> = translate::translatable(ds)
            .into_iter()
            .map(|t| (t.source, t.markup))
            .collect();
        let mut out = Translations::default();
        for entry in f.text.iter() {
            let at = At { src, entry };
            let fields = entry.get_ref();
            let Some(source) = fields.get("en") else {
                self.error(at.error(
                    "en",
                    "each [[text]] names the English text it translates: en = \"...\", then one field per language, such as th = \"...\"",
                ));
                continue;
            };
            let Some(&markup) = texts.get(source) else {
                self.error(at.error(
                    "en",
                    format!(
                        "no text of the dataset reads exactly “{}”: copy the text from the file it is in (a text that was changed needs its translation looked at again)",
                        excerpt(source)
                    ),
                ));
                continue;
            };
            for (lang, text) in fields.iter().filter(|(k, _)| k.as_str() != "en") {
                match translate::check(lang, source, text, markup) {
                    Ok(()) => out.set(lang, source, text),
                    Err(b) => self.error(at.error(lang, b.message)),
                }
            }
        }
        out
    }
}

/// The first words of a long text, for a message.
fn excerpt(text: &str) -> String {
    const CHARS: usize = 60;
    match text.char_indices().nth(CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
