//! The dataset's texts in other languages, edited by the coordinator (`mignet_core::translate`): the
//! list of what may be translated with its translations, and one translation set or removed.

use crate::{App, AppError, FieldError};
use mignet_core::access::Actor;
use mignet_core::translate;
use mignet_store::LoadSummary;
use serde::Serialize;

/// A text of the dataset with its translation into one language, for the translations page.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationRow {
    /// Where the text is, in words (`Priority P1: title`).
    pub place: String,
    pub source: String,
    pub markup: bool,
    /// Its translation, empty when there is none.
    pub text: String,
}

impl App {
    /// Every text of the dataset a reader sees, in reading order, with its translation into `lang`.
    pub async fn translations(&self, lang: &str) -> Result<Vec<TranslationRow>, AppError> {
        let ds = self.dataset().await?;
        Ok(translate::translatable(&ds)
            .into_iter()
            .map(|t| TranslationRow {
                text: ds
                    .translations
                    .get(lang, &t.source)
                    .unwrap_or_default()
                    .to_owned(),
                place: t.place,
                source: t.source,
                markup: t.markup,
            })
            .collect())
    }

    /// Sets the translation of the dataset's text `source` into `lang` as `actor` (the coordinator,
    /// who edits the narrative); an empty `text` removes it. Audited like every change to the dataset.
    pub async fn translate(
        &self,
        actor: &Actor,
        lang: &str,
        source: &str,
        text: &str,
    ) -> Result<LoadSummary, AppError> {
        if !actor.may_edit_framework() {
            return Err(AppError::Forbidden(
                "only the network's coordinator edits the framework, the narrative and their translations".into(),
            ));
        }
        let text = text.trim();
        self.store()
            .edit_dataset(&actor.email, |ds| {
                let Some(t) = translate::translatable(ds)
                    .into_iter()
                    .find(|t| t.source == source)
                else {
                    return Err(AppError::invalid(
                        "source",
                        "the dataset has no such text any more: it was changed or removed since the page was opened; reload the page",
                    ));
                };
                if !text.is_empty() {
                    translate::check(lang, source, text, t.markup).map_err(|b| {
                        AppError::Invalid(vec![FieldError {
                            field: b.field.to_owned(),
                            message: b.message,
                        }])
                    })?;
                }
                ds.translations.set(lang, source, text);
                Ok(())
            })
            .await?
    }
}
