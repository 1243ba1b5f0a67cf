//! `framework.toml`: priorities, outcomes and indicators.

use super::*;

impl Reader {
    pub(super) fn framework(
        &mut self,
        src: &Source,
        f: raw::FrameworkFile,
        periods: &[String],
    ) -> Framework {
        let mut fw = Framework {
            version: f.framework.get_ref().version.clone(),
            title: f.framework.get_ref().title.clone(),
            priorities: vec![],
            outcomes: vec![],
            indicators: vec![],
        };
        // Priorities, outcomes and indicators share one namespace of codes.
        let all = f
            .priority
            .iter()
            .map(|p| (p.get_ref().code.as_str(), src.field_line(p, "code")))
            .chain(
                f.outcome
                    .iter()
                    .map(|o| (o.get_ref().code.as_str(), src.field_line(o, "code"))),
            )
            .chain(
                f.indicator
                    .iter()
                    .map(|i| (i.get_ref().code.as_str(), src.field_line(i, "code"))),
            );
        let mut seen = BTreeMap::new();
        for (code, line) in all {
            if let Some(first) = seen.insert(code, line) {
                self.error(DatasetError {
                    file: src.file.clone(),
                    line: Some(line),
                    field: Some("code".into()),
                    message: format!("duplicate code `{code}`: it is already used on line {first}"),
                });
            }
        }
        let priorities: BTreeSet<&str> = f
            .priority
            .iter()
            .map(|p| p.get_ref().code.as_str())
            .collect();
        let outcomes: BTreeSet<&str> = f
            .outcome
            .iter()
            .map(|p| p.get_ref().code.as_str())
            .collect();
        for entry in &f.priority {
            let at = At { src, entry };
            let p = entry.get_ref();
            self.limit(at, "title", limits::Text::Title, Some(&p.title));
            if let Some(code) = self.code(at, "code", &p.code, FrameworkCode::parse) {
                fw.priorities.push(Priority {
                    code,
                    title: p.title.clone(),
                    summary: p.summary.clone(),
                });
            }
        }
        self.note_refused(
            f.priority.iter().map(|p| p.get_ref().code.as_str()),
            fw.priorities.iter().map(|p| p.code.as_str()),
        );
        for entry in &f.outcome {
            let at = At { src, entry };
            let o = entry.get_ref();
            if !priorities.contains(o.priority.as_str()) {
                if self.consequence(&o.priority) {
                    continue;
                }
                self.error(at.error(
                    "priority",
                    format!(
                        "unknown priority `{}`{}",
                        o.priority,
                        did_you_mean(&o.priority, priorities.iter().copied())
                    ),
                ));
                continue;
            }
            if let (Some(code), Ok(priority)) = (
                self.code(at, "code", &o.code, FrameworkCode::parse),
                FrameworkCode::parse(&o.priority),
            ) {
                fw.outcomes.push(Outcome {
                    code,
                    priority,
                    statement: o.statement.clone(),
                });
            }
        }
        self.note_refused(
            f.outcome.iter().map(|o| o.get_ref().code.as_str()),
            fw.outcomes.iter().map(|o| o.code.as_str()),
        );
        for entry in &f.indicator {
            if let Some(i) = self.indicator(At { src, entry }, &outcomes, periods) {
                fw.indicators.push(i);
            }
        }
        self.note_refused(
            f.indicator.iter().map(|i| i.get_ref().code.as_str()),
            fw.indicators.iter().map(|i| i.code.as_str()),
        );
        fw
    }

    pub(super) fn indicator(
        &mut self,
        at: At<'_, raw::Indicator>,
        outcomes: &BTreeSet<&str>,
        periods: &[String],
    ) -> Option<Indicator> {
        let i = at.entry.get_ref();
        let before = self.errors.len();
        let code = self.code(at, "code", &i.code, FrameworkCode::parse);
        if !outcomes.contains(i.outcome.as_str()) && !self.consequence(&i.outcome) {
            self.error(at.error(
                "outcome",
                format!(
                    "unknown outcome `{}`{}",
                    i.outcome,
                    did_you_mean(&i.outcome, outcomes.iter().copied())
                ),
            ));
        }
        let kind = self.vocab::<IndicatorKind, _>(at, "kind", &i.kind);
        let places = self.places(at, &i.places);
        let mut targets = Vec::new();
        for t in &i.targets {
            match PeriodCode::parse(&t.period) {
                Ok(_) if !periods.contains(&t.period) => self.error(at.error(
                    "targets",
                    format!(
                        "target period `{}` is not a period of the dataset (a folder of periods/){}",
                        t.period,
                        did_you_mean(&t.period, periods.iter().map(String::as_str))
                    ),
                )),
                Ok(period) => targets.push(Target {
                    period,
                    value: t.value.as_f64(),
                    cumulative: t.cumulative,
                }),
                Err(e) => {
                    self.error(at.error("targets", format!("target period `{}` {e}", t.period)))
                }
            }
        }
        let threshold = self.threshold(at, "threshold", i.threshold);
        if threshold.is_some() && !i.sensitive {
            self.error(at.error(
                "threshold",
                "a threshold applies to a sensitive indicator only: add `sensitive = true`, or remove the threshold",
            ));
        }
        if i.sensitive && kind != Some(IndicatorKind::Count) && kind.is_some() {
            self.error(at.error(
                "sensitive",
                "only a count can be sensitive: a percentage or milestone has no small count to withhold",
            ));
        }
        if self.errors.len() > before {
            return None;
        }
        let indicator = Indicator {
            sensitive: i.sensitive,
            threshold,
            code: code?,
            outcome: FrameworkCode::parse(&i.outcome).ok()?,
            statement: i.statement.clone(),
            unit: i.unit.clone().unwrap_or_default(),
            kind: kind?,
            disaggregations: i
                .disaggregations
                .iter()
                .map(|d| Disaggregation {
                    key: d.key.clone(),
                    label: d.label.clone().unwrap_or_else(|| d.key.clone()),
                })
                .collect(),
            places,
            // Out of u8's range is as unknown an objective as 24: 0 makes the rule say so.
            gcm: i
                .gcm
                .iter()
                .map(|&g| u8::try_from(g).unwrap_or(0))
                .collect(),
            sdg: i.sdg.clone(),
            figure_source_required: i.figure_source_required,
            baseline: i.baseline.as_ref().map(|b| Baseline {
                value: b.value.as_f64(),
                year: b.year as i32,
                note: b.note.clone(),
            }),
            targets,
        };
        // A broken rule is reported here, once; the indicator is still known to the rest of the
        // folder, so that its figures and the text quoting them are not reported as unknown too.
        for b in mignet_core::rules::indicator(&indicator) {
            self.error(at.error(b.field, b.message));
        }
        for p in &indicator.places {
            if let Some(b) = rules::place_in(&self.scope.countries, &self.scope.gazetteer, p)
                && !self.place_consequence(p.as_str())
            {
                self.error(at.error(b.field, b.message));
            }
        }
        Some(indicator)
    }
}
