//! `periods/CODE/`: one period's statistics, derived figures, claims, footnotes and narrative,
//! and the references its texts make.

use super::*;

impl Reader {
    pub(super) fn periods(&mut self, ds: &Dataset, names: &[String]) -> Vec<PeriodData> {
        names
            .iter()
            .filter_map(|name| self.period(ds, name))
            .collect()
    }

    /// When network.toml or framework.toml cannot be read, what refers to them cannot be checked;
    /// the periods' files are still read, so that their own mistakes show in the same run.
    pub(super) fn periods_alone(&mut self) {
        for name in self.period_names() {
            let base = format!("periods/{name}");
            if let Some(src) = self.source(&format!("{base}/period.toml"), true) {
                let _: Option<raw::PeriodFile> = self.parse(&src);
            }
            if let Some(src) = self.source(&format!("{base}/figures.toml"), false) {
                let _: Option<raw::FiguresFile> = self.parse(&src);
            }
            if let Some(src) = self.source(&format!("{base}/highlights.toml"), false) {
                let _: Option<raw::HighlightsFile> = self.parse(&src);
            }
        }
    }

    pub(super) fn period_names(&mut self) -> Vec<String> {
        let dir = self.dir.join("periods");
        let mut names: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                self.error(DatasetError {
                    file: "periods".into(),
                    line: None,
                    field: None,
                    message: format!("cannot be read: {e}"),
                });
                Vec::new()
            }
        };
        names.sort();
        names
    }

    pub(super) fn period(&mut self, ds: &Dataset, name: &str) -> Option<PeriodData> {
        let base = format!("periods/{name}");
        let psrc = self.source(&format!("{base}/period.toml"), true)?;
        let fsrc = self.source(&format!("{base}/figures.toml"), false);
        let hsrc = self.source(&format!("{base}/highlights.toml"), false);
        let pf: raw::PeriodFile = self.parse(&psrc)?;
        let ff: raw::FiguresFile = fsrc
            .as_ref()
            .and_then(|s| self.parse(s))
            .unwrap_or_default();
        let hf: raw::HighlightsFile = hsrc
            .as_ref()
            .and_then(|s| self.parse(s))
            .unwrap_or_default();

        let pat = At {
            src: &psrc,
            entry: &pf.period,
        };
        let p = pf.period.get_ref();
        let code = self.code(pat, "code", &p.code, PeriodCode::parse);
        if p.code != name {
            self.error(pat.error(
                "code",
                format!(
                    "the period's code `{}` differs from its folder `{name}`",
                    p.code
                ),
            ));
        }
        if p.framework != ds.framework.version {
            self.error(pat.error(
                "framework",
                format!(
                    "the period reports against framework `{}`, but framework.toml is version `{}`",
                    p.framework, ds.framework.version
                ),
            ));
        }
        for (field, date) in [("starts", &p.starts), ("ends", &p.ends)] {
            if let Some(d) = date
                && !rules::is_iso_date(d)
            {
                self.error(pat.error(field, format!("`{d}` is not a date written as YYYY-MM-DD")));
            }
        }
        let status =
            self.vocab::<PeriodStatus, _>(pat, "status", p.status.as_deref().unwrap_or("open"));
        self.limit(pat, "title", limits::Text::Title, Some(&p.title));
        self.limit(
            pat,
            "introduction",
            limits::Text::Narrative,
            p.introduction.as_deref(),
        );
        let mut round = Round {
            opens: p.opens.clone(),
            due: p.due.clone(),
            publishes: p.publishes.clone(),
            assignments: Vec::new(),
        };
        for b in rules::round_dates(&round) {
            self.error(pat.error(b.field, b.message));
        }
        let mut assigned = BTreeSet::new();
        for entry in &pf.assignment {
            let at = At { src: &psrc, entry };
            let a = entry.get_ref();
            // An unknown organisation is said once for the entry, not once per indicator.
            let mut said = BTreeSet::new();
            for indicator in &a.indicators {
                let broken = rules::assignment(ds, &a.organisation, indicator);
                for b in &broken {
                    // A code whose own item was refused is a consequence, not another mistake.
                    let named = if b.field == "organisation" {
                        &a.organisation
                    } else {
                        indicator
                    };
                    if self.consequence(named) {
                        continue;
                    }
                    if said.insert(b.message.clone()) {
                        self.error(at.error(b.field, b.message.clone()));
                    }
                }
                if !broken.is_empty() {
                    continue;
                }
                if !assigned.insert((a.organisation.clone(), indicator.clone())) {
                    self.error(at.error(
                        "indicators",
                        format!(
                            "`{}` is assigned to {} twice in this period: name it once",
                            indicator, a.organisation
                        ),
                    ));
                    continue;
                }
                if let (Ok(organisation), Ok(indicator)) = (
                    OrgCode::parse(&a.organisation),
                    FrameworkCode::parse(indicator),
                ) {
                    round.assignments.push(Assignment {
                        organisation,
                        indicator,
                    });
                }
            }
        }
        let period = Period {
            code: code?,
            title: p.title.clone(),
            starts: p.starts.clone(),
            ends: p.ends.clone(),
            status: status?,
            framework: p.framework.clone(),
            introduction: p.introduction.clone(),
            round,
        };

        let mut data = PeriodData {
            period,
            sections: vec![],
            statistics: vec![],
            footnotes: vec![],
            derived: vec![],
            claims: vec![],
            figures: vec![],
            lines: vec![],
        };
        // Ids of figures, statistics and derived figures share one namespace: `{ID}` must name one thing.
        let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
        let mut note_id = |this: &mut Self, src: &Source, id: &str, line: usize| {
            if let Some((file, first)) = seen.insert(id.to_owned(), (src.file.clone(), line)) {
                this.error(DatasetError {
                    file: src.file.clone(),
                    line: Some(line),
                    field: Some("id".into()),
                    message: format!(
                        "duplicate id `{id}`: it is already used in {file} line {first}"
                    ),
                });
            }
        };
        for entry in &pf.statistic {
            note_id(
                self,
                &psrc,
                &entry.get_ref().id,
                psrc.field_line(entry, "id"),
            );
        }
        for entry in &pf.derived {
            note_id(
                self,
                &psrc,
                &entry.get_ref().id,
                psrc.field_line(entry, "id"),
            );
        }
        if let Some(fsrc) = &fsrc {
            for entry in &ff.figure {
                note_id(
                    self,
                    fsrc,
                    &entry.get_ref().id,
                    fsrc.field_line(entry, "id"),
                );
            }
        }
        self.duplicates(
            &psrc,
            pf.footnote.iter().map(|f| (f.get_ref().id.as_str(), f)),
            "footnote id",
            "id",
        );
        self.duplicates(
            &psrc,
            pf.claim.iter().map(|c| (c.get_ref().id.as_str(), c)),
            "claim id",
            "id",
        );

        let orgs = org_set(ds);
        for entry in &pf.footnote {
            let at = At { src: &psrc, entry };
            let f = entry.get_ref();
            if let Some(id) = self.code(at, "id", &f.id, ItemId::parse) {
                data.footnotes.push(Footnote {
                    id,
                    marker: f.marker.clone(),
                    text: f.text.clone(),
                });
            }
        }
        self.note_refused(
            pf.footnote.iter().map(|f| f.get_ref().id.as_str()),
            data.footnotes.iter().map(|f| f.id.as_str()),
        );
        for entry in &pf.statistic {
            let at = At { src: &psrc, entry };
            let s = entry.get_ref();
            let id = self.code(at, "id", &s.id, ItemId::parse);
            let display =
                self.vocab::<Display, _>(at, "display", s.display.as_deref().unwrap_or("plain"));
            let source_org = s
                .source_org
                .as_deref()
                .and_then(|o| self.org_ref(at, "source_org", o, &orgs));
            let footnote = s
                .footnote
                .as_deref()
                .and_then(|f| self.footnote_ref(at, "footnote", f, &data));
            self.limit(at, "label", limits::Text::Title, Some(&s.label));
            if let (Some(id), Some(display)) = (id, display) {
                data.statistics.push(Statistic {
                    id,
                    label: s.label.clone(),
                    value: s.value.as_f64(),
                    unit: s.unit.clone(),
                    display,
                    qualifier: s.qualifier.clone(),
                    source: s.source.clone(),
                    source_org,
                    as_of: s.as_of.clone(),
                    footnote,
                });
            }
        }
        self.note_refused(
            pf.statistic.iter().map(|s| s.get_ref().id.as_str()),
            data.statistics.iter().map(|s| s.id.as_str()),
        );
        if let Some(fsrc) = &fsrc {
            for entry in &ff.figure {
                if let Some(f) = self.figure(At { src: fsrc, entry }, ds, &data) {
                    data.figures.push(f);
                }
            }
        }
        self.note_refused(
            ff.figure.iter().map(|f| f.get_ref().id.as_str()),
            data.figures.iter().map(|f| f.id.as_str()),
        );
        for entry in &pf.derived {
            let at = At { src: &psrc, entry };
            let d = entry.get_ref();
            let kind = self.vocab::<DerivedKind, _>(at, "kind", &d.kind);
            let Some(kind) = kind else { continue };
            let (fa, fb, a, b) = match kind {
                DerivedKind::PercentChange | DerivedKind::Difference => {
                    ("from", "to", &d.from, &d.to)
                }
                DerivedKind::Share | DerivedKind::Coverage => ("part", "whole", &d.part, &d.whole),
            };
            let operand = |this: &mut Self, field: &str, v: &Option<String>| -> Option<ItemId> {
                let Some(v) = v else {
                    this.error(at.error(
                        field,
                        format!("a `{}` derived figure needs `{field}`", d.kind),
                    ));
                    return None;
                };
                let number = match data.resolve(v) {
                    Ok(mignet_core::numbers::NumberRef::Derived(_)) | Err(_) => false,
                    Ok(_) => true,
                };
                if !number {
                    if !this.consequence(v) {
                        this.error(at.error(
                            field,
                            format!("`{v}` is no figure or statistic of the period"),
                        ));
                    }
                    return None;
                }
                ItemId::parse(v).ok()
            };
            let a = operand(self, fa, a);
            let b = operand(self, fb, b);
            let decimals = d.decimals.unwrap_or(1);
            if !(0..=6).contains(&decimals) {
                self.error(at.error("decimals", "decimals go from 0 to 6"));
            }
            if let (Some(id), Some(a), Some(b)) = (self.code(at, "id", &d.id, ItemId::parse), a, b)
            {
                data.derived.push(Derived {
                    id,
                    kind,
                    a,
                    b,
                    decimals: decimals.clamp(0, 6) as u8,
                });
            }
        }
        self.note_refused(
            pf.derived.iter().map(|d| d.get_ref().id.as_str()),
            data.derived.iter().map(|d| d.id.as_str()),
        );
        for entry in &pf.claim {
            let at = At { src: &psrc, entry };
            let c = entry.get_ref();
            if data.derived(&c.derived).is_none() {
                if !self.consequence(&c.derived) {
                    self.error(
                        at.error("derived", format!("unknown derived figure `{}`", c.derived)),
                    );
                }
                continue;
            }
            if let (Some(id), Ok(derived)) = (
                self.code(at, "id", &c.id, ItemId::parse),
                ItemId::parse(&c.derived),
            ) {
                data.claims.push(Claim {
                    id,
                    derived,
                    published: c.published.as_f64(),
                    text: c.text.clone(),
                    location: c.location.clone(),
                });
            }
        }
        for entry in &pf.section {
            let at = At { src: &psrc, entry };
            let s = entry.get_ref();
            let kind = self.vocab::<SectionKind, _>(at, "kind", &s.kind);
            let priority = s.priority.as_deref().and_then(|p| {
                self.framework_ref(
                    at,
                    "priority",
                    p,
                    ds.framework.priorities.iter().map(|x| &x.code),
                )
            });
            let outcome = s.outcome.as_deref().and_then(|o| {
                self.framework_ref(
                    at,
                    "outcome",
                    o,
                    ds.framework.outcomes.iter().map(|x| &x.code),
                )
            });
            self.text_refs(at, "text", &s.text, ds, &data);
            if let Some(kind) = kind {
                data.sections.push(Section {
                    priority,
                    outcome,
                    kind,
                    text: s.text.clone(),
                });
            }
        }
        if let Some(intro) = &p.introduction {
            self.text_refs(pat, "introduction", intro, ds, &data);
        }
        for entry in &pf.footnote {
            self.text_refs(
                At { src: &psrc, entry },
                "text",
                &entry.get_ref().text,
                ds,
                &data,
            );
        }
        if let Some(hsrc) = &hsrc {
            for entry in &hf.line {
                let at = At { src: hsrc, entry };
                let l = entry.get_ref();
                let outcome = self.framework_ref(
                    at,
                    "outcome",
                    &l.outcome,
                    ds.framework.outcomes.iter().map(|x| &x.code),
                );
                let mut figures = Vec::new();
                for fid in &l.figures {
                    match data.figure(fid) {
                        Some(f) => figures.push(f.id.clone()),
                        None if self.consequence(fid) => {}
                        None => self.error(at.error(
                            "figures",
                            format!(
                                "unknown figure `{fid}`{}",
                                did_you_mean(fid, data.figures.iter().map(|f| f.id.as_str()))
                            ),
                        )),
                    }
                }
                let listed_all = figures.len() == l.figures.len();
                for t in self.text_refs(at, "text", &l.text, ds, &data) {
                    // A figure missing from a list that names one wrongly is that mistake again.
                    if listed_all
                        && let Token::Number(raw) = t
                        && let Ok(
                            mignet_core::numbers::NumberRef::Figure(f)
                            | mignet_core::numbers::NumberRef::Part(f, _, _),
                        ) = data.resolve(&raw)
                        && !l.figures.iter().any(|x| x == f.id.as_str())
                    {
                        self.error(at.error("figures", format!("the text quotes figure `{}`, which is not in the line's `figures` list", f.id)));
                    }
                }
                if let Some(outcome) = outcome {
                    data.lines.push(Line {
                        outcome,
                        figures,
                        text: l.text.clone(),
                    });
                }
            }
        }
        Some(data)
    }

    pub(super) fn framework_ref<'f, T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        known: impl Iterator<Item = &'f FrameworkCode> + Clone,
    ) -> Option<FrameworkCode> {
        if let Some(c) = known.clone().find(|c| c.as_str() == value) {
            return Some(c.clone());
        }
        if self.consequence(value) {
            return None;
        }
        self.error(at.error(
            field,
            format!(
                "unknown {field} `{value}`{}",
                did_you_mean(value, known.map(|c| c.as_str()))
            ),
        ));
        None
    }

    pub(super) fn footnote_ref<T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        id: &str,
        data: &PeriodData,
    ) -> Option<ItemId> {
        match data.footnote(id) {
            Some(f) => Some(f.id.clone()),
            None if self.consequence(id) => None,
            None => {
                self.error(at.error(
                    field,
                    format!(
                        "unknown footnote `{id}`{}",
                        did_you_mean(id, data.footnotes.iter().map(|f| f.id.as_str()))
                    ),
                ));
                None
            }
        }
    }

    /// Parses a text's markup and checks that each reference resolves; returns the tokens.
    pub(super) fn text_refs<T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        text: &str,
        ds: &Dataset,
        data: &PeriodData,
    ) -> Vec<Token> {
        let tokens = self.markup(at, field, text);
        for t in &tokens {
            match t {
                Token::Number(raw) => {
                    if let Err(e) = data.resolve(raw)
                        && !self.consequence(raw)
                    {
                        self.error(at.error(field, e.to_string()));
                    }
                }
                Token::Pledge(id) if ds.pledge(id).is_none() => {
                    self.error(at.error(
                        field,
                        format!(
                            "unknown pledge `{id}`{}",
                            did_you_mean(id, ds.pledges.iter().map(|p| p.id.as_str()))
                        ),
                    ));
                }
                Token::Footnote(id) => {
                    self.footnote_ref(at, field, id, data);
                }
                _ => {}
            }
        }
        tokens
    }
}
