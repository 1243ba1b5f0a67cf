//! `periods/CODE/figures.toml`: one figure, its joint method and its value.

use super::*;
use mignet_core::stated::Stated;

impl Reader {
    /// One figure: its TOML turned into the model's values here, then held to
    /// `mignet_core::rules::figure`, as every other path that takes a figure does.
    pub(super) fn figure(
        &mut self,
        at: At<'_, raw::Figure>,
        ds: &Dataset,
        data: &PeriodData,
    ) -> Option<Figure> {
        let f = at.entry.get_ref();
        let before = self.errors.len();
        let id = self.code(at, "id", &f.id, ItemId::parse);
        let indicator = ds.indicator(&f.indicator);
        if indicator.is_none() && !self.consequence(&f.indicator) {
            let b = rules::unknown_indicator(ds, &f.indicator);
            self.error(at.error(b.field, b.message));
        }
        // Only the codes' spelling here: whether they name organisations, members, once each, is
        // the rule's.
        let organisations: Vec<OrgCode> = f
            .organisations
            .iter()
            .filter_map(|o| self.code(at, "organisations", o, OrgCode::parse))
            .collect();
        let joint = self.joint(at, indicator, f, data);
        let value = match (joint, indicator) {
            (Some((_, Some(computed))), _) => {
                if let Some(raw::Value::Num(typed)) = f.value
                    && typed.as_f64() != computed as f64
                {
                    self.error(at.error(
                        "value",
                        format!(
                            "{} disagrees with the joint value computed from the organisations' \
                             figures, {computed}: leave `value` out, or correct it",
                            typed.as_f64()
                        ),
                    ));
                } else if let Some(raw::Value::Text(text)) = &f.value {
                    self.error(at.error(
                        "value",
                        format!(
                            "`{text}`: a joint value computed from the organisations' figures is \
                             exact, {computed}; leave `value` out"
                        ),
                    ));
                }
                let stated = Stated {
                    currency: indicator.and_then(|i| mignet_core::stated::money_of(&i.unit)),
                    ..Stated::default()
                };
                Some((FigureValue::Count { value: computed }, stated))
            }
            // A computed method that failed has reported why; a missing `value` is not news.
            (None, _) if f.joint.as_deref().is_some_and(|j| j != "reported") => None,
            (_, Some(ind)) => self.figure_value(at, ind, f),
            (_, None) => None,
        };
        let mut disaggregation = Vec::new();
        for (key, v) in &f.disaggregation {
            match *v {
                raw::Num::Int(n) if n >= 0 => disaggregation.push((key.clone(), n as u64)),
                other => self.error(at.error(
                    "disaggregation",
                    format!(
                        "`{key}` must be a whole number of 0 or more, not {}",
                        other.as_f64()
                    ),
                )),
            }
        }
        let places = self.places(at, &f.places);
        let mut count = |field: &str, n: Option<raw::Num>| match n {
            None => None,
            Some(raw::Num::Int(n)) if n >= 0 => Some(n as u64),
            Some(other) => {
                self.error(at.error(
                    field,
                    format!(
                        "must be a whole number of 1 or more, not {}",
                        other.as_f64()
                    ),
                ));
                None
            }
        };
        let locations = count("locations", f.locations);
        let in_areas = count("in_areas", f.in_areas);
        let footnotes = f
            .footnotes
            .iter()
            .filter_map(|n| self.footnote_ref(at, "footnotes", n, data))
            .collect();
        let status =
            self.vocab::<FigureStatus, _>(at, "status", f.status.as_deref().unwrap_or("draft"));
        if self.errors.len() > before {
            return None;
        }
        let (value, mut stated) = value?;
        self.stated_fields(at, f, &mut stated);
        if self.errors.len() > before {
            return None;
        }
        let figure = Figure {
            id: id?,
            indicator: indicator?.code.clone(),
            organisations,
            value,
            disaggregation,
            places,
            sites: f.sites.clone(),
            locations,
            in_areas,
            note: f.note.clone(),
            evidence: f.evidence.clone(),
            footnotes,
            status: status?,
            status_by: None,
            status_at: None,
            joint: joint?.0,
            withheld_parts: Vec::new(),
            stated,
        };
        let mut refused = false;
        for b in rules::refused(ds, &figure) {
            refused = true;
            // An organisation refused for a mistake of its own is not reported again here, nor a
            // place of a network whose country is itself a mistake.
            let place_of_unknown =
                b.rule == "unknown_place" && self.place_consequence(b.key.as_deref().unwrap_or(""));
            if !b.key.as_deref().is_some_and(|k| self.consequence(k)) && !place_of_unknown {
                self.error(at.error(b.field, b.message));
            }
        }
        (!refused).then_some(figure)
    }

    /// The joint method a figure declares and, where the method computes it, its value.
    pub(super) fn joint(
        &mut self,
        at: At<'_, raw::Figure>,
        indicator: Option<&Indicator>,
        f: &raw::Figure,
        data: &PeriodData,
    ) -> Option<(JointMethod, Option<u64>)> {
        use mignet_core::joint::{Combine, combine};
        let name = f.joint.as_deref().unwrap_or("reported");
        let how = self.enum_value(
            at,
            "joint",
            name,
            &[
                ("reported", None),
                ("sum", Some(Some(Combine::Sum))),
                ("max", Some(Some(Combine::Max))),
                ("declared_overlap", Some(Some(Combine::DeclaredOverlap))),
                ("records", Some(None)),
            ],
        )?;
        let before = self.errors.len();
        let combines = matches!(how, Some(Some(_)));
        if !combines && !f.parts.is_empty() {
            self.error(at.error(
                "parts",
                "`parts` goes only with `joint = \"sum\"`, `\"max\"` or `\"declared_overlap\"`",
            ));
        }
        if how != Some(Some(Combine::DeclaredOverlap)) && f.overlap.is_some() {
            self.error(at.error(
                "overlap",
                "`overlap` goes only with `joint = \"declared_overlap\"`; records give their own",
            ));
        }
        if how != Some(None) {
            for field in ["records", "records_indicator"] {
                let given = match field {
                    "records" => f.records.is_some(),
                    _ => f.records_indicator.is_some(),
                };
                if given {
                    self.error(at.error(
                        field,
                        format!("`{field}` goes only with `joint = \"records\"`"),
                    ));
                }
            }
        }
        let Some(how) = how else {
            return (self.errors.len() == before).then_some((JointMethod::Reported, None));
        };
        if f.organisations.len() < 2 {
            self.error(at.error(
                "joint",
                format!(
                    "`joint = \"{name}\"` is for a figure of several organisations; this one has {}",
                    f.organisations.len()
                ),
            ));
        }
        if let Some(ind) = indicator
            && ind.kind != IndicatorKind::Count
        {
            self.error(at.error(
                "joint",
                format!(
                    "`joint = \"{name}\"` adds up counts of people; indicator {} is not a count",
                    ind.code
                ),
            ));
        }
        if self.errors.len() > before {
            return None;
        }
        match how {
            Some(how) => {
                let mut parts = Vec::new();
                for o in &f.organisations {
                    match f.parts.get(o) {
                        Some(raw::Num::Int(n)) if *n >= 0 => parts.push(*n as u64),
                        Some(other) => self.error(at.error(
                            "parts",
                            format!(
                                "`{o}` must be a whole number of 0 or more, not {}",
                                other.as_f64()
                            ),
                        )),
                        None => self.error(at.error(
                            "parts",
                            format!(
                                "`parts` has no figure for `{o}`, one of the figure's organisations"
                            ),
                        )),
                    }
                }
                for k in f.parts.keys() {
                    if !f.organisations.contains(k) {
                        self.error(at.error(
                            "parts",
                            format!(
                                "`{k}` is not one of the figure's organisations ({})",
                                f.organisations.join(", ")
                            ),
                        ));
                    }
                }
                let overlap = match f.overlap {
                    None => None,
                    Some(raw::Num::Int(n)) if n >= 0 => Some(n as u64),
                    Some(other) => {
                        self.error(at.error(
                            "overlap",
                            format!(
                                "must be a whole number of 0 or more, not {}",
                                other.as_f64()
                            ),
                        ));
                        return None;
                    }
                };
                if self.errors.len() > before {
                    return None;
                }
                match combine(how, &parts, overlap) {
                    Ok(v) => {
                        let method = match how {
                            Combine::Sum => JointMethod::Sum,
                            Combine::Max => JointMethod::Max,
                            Combine::DeclaredOverlap => JointMethod::DeclaredOverlap {
                                overlap: overlap.unwrap_or(0),
                            },
                        };
                        Some((method, Some(v)))
                    }
                    Err(e) => {
                        let field = if overlap.is_some() {
                            "overlap"
                        } else {
                            "parts"
                        };
                        self.error(at.error(field, e.to_string()));
                        None
                    }
                }
            }
            None => self.records_figure(at, f, data),
        }
    }

    /// A joint figure counted from a records file: distinct people across the figure's organisations
    /// under the indicator within the period.
    pub(super) fn records_figure(
        &mut self,
        at: At<'_, raw::Figure>,
        f: &raw::Figure,
        data: &PeriodData,
    ) -> Option<(JointMethod, Option<u64>)> {
        let Some(rel) = f.records.as_deref() else {
            self.error(at.error(
                "records",
                "`joint = \"records\"` needs `records`, the service-records file (relative to the dataset folder)",
            ));
            return None;
        };
        let path = Path::new(rel);
        if rel.is_empty()
            || path.is_absolute()
            || path
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            self.error(at.error(
                "records",
                format!("`{rel}` must be a path inside the dataset folder, such as `records/services-2023.csv`"),
            ));
            return None;
        }
        let (Some(starts), Some(ends)) = (&data.period.starts, &data.period.ends) else {
            self.error(at.error(
                "records",
                format!(
                    "records are counted within the period's dates: period {} needs `starts` and `ends` in period.toml",
                    data.period.code
                ),
            ));
            return None;
        };
        let period = match format!("{starts}..{ends}").parse::<mignet_reach::Period>() {
            Ok(p) => p,
            Err(e) => {
                self.error(at.error("records", e));
                return None;
            }
        };
        let sel = mignet_reach::JointSelection {
            indicator: f
                .records_indicator
                .clone()
                .unwrap_or_else(|| f.indicator.clone()),
            agencies: f.organisations.clone(),
            period: Some(period),
        };
        let opts = mignet_reach::ReachOptions {
            threads: 1,
            ..Default::default()
        };
        let file = rel.replace('\\', "/");
        let whose = format!(
            "records of figure {} ({}, line {})",
            f.id,
            at.src.file,
            at.src.field_line(at.entry, "records")
        );
        match mignet_reach::joint_reach(self.dir.join(path), &sel, &opts) {
            Ok(r) => {
                let mut ok = true;
                for (agency, n) in &r.per_agency {
                    if *n == 0 {
                        ok = false;
                        self.error(at.error(
                            "records",
                            format!(
                                "`{file}` has no records of `{agency}` under indicator {} from {starts} to {ends}; \
                                 the `agency` column must hold the organisation's code",
                                sel.indicator
                            ),
                        ));
                    }
                }
                let per: Vec<u64> = r.per_agency.iter().map(|(_, n)| *n).collect();
                let (method, value) = mignet_core::joint::from_records(&per, r.distinct, r.records);
                ok.then_some((method, Some(value)))
            }
            Err(mignet_reach::ReachError::Io { source, .. }) => {
                self.error(at.error("records", format!("cannot read `{file}`: {source}")));
                None
            }
            Err(mignet_reach::ReachError::BadRows { errors, total }) => {
                for e in &errors {
                    self.error(DatasetError {
                        file: file.clone(),
                        line: Some(e.line as usize),
                        field: None,
                        message: format!("{} ({whose})", e.kind),
                    });
                }
                if total > errors.len() as u64 {
                    self.error(DatasetError {
                        file: file.clone(),
                        line: None,
                        field: None,
                        message: format!("{} more bad rows ({whose})", total - errors.len() as u64),
                    });
                }
                None
            }
            Err(e) => {
                self.error(DatasetError {
                    file: file.clone(),
                    line: Some(1),
                    field: None,
                    message: format!("{e} ({whose})"),
                });
                None
            }
        }
    }

    /// The fields that say how a plain number was stated, added to what `value` itself said.
    fn stated_fields(&mut self, at: At<'_, raw::Figure>, f: &raw::Figure, stated: &mut Stated) {
        use mignet_core::stated::{Currency, MilestoneStatus, Qualifier};
        if let Some(q) = &f.qualifier {
            stated.qualifier = self.vocab::<Qualifier, _>(at, "qualifier", q);
        }
        let number = |n: Option<raw::Num>| n.map(raw::Num::as_f64);
        stated.high = number(f.high).or(stated.high);
        stated.numerator = number(f.numerator);
        stated.denominator = number(f.denominator);
        if let Some(c) = &f.currency {
            match Currency::parse(c) {
                Some(c) => stated.currency = Some(c),
                None => self.error(at.error(
                    "currency",
                    format!(
                        "`{c}` is no ISO 4217 currency code: write three capital letters, such as USD, EUR or THB"
                    ),
                )),
            }
        }
        if let Some(m) = &f.milestone {
            stated.milestone = self.vocab::<MilestoneStatus, _>(at, "milestone", m);
        }
        if f.date.is_some() {
            stated.date = f.date.clone();
        }
        stated.cumulative |= f.cumulative;
        stated.in_words |= f.in_words;
    }

    pub(super) fn figure_value(
        &mut self,
        at: At<'_, raw::Figure>,
        ind: &Indicator,
        f: &raw::Figure,
    ) -> Option<(FigureValue, Stated)> {
        let plain = Stated {
            currency: mignet_core::stated::money_of(&ind.unit),
            ..Stated::default()
        };
        if let Some(raw::Value::Text(text)) = &f.value {
            return match mignet_core::stated::read_value(ind, text) {
                Ok(read) => Some(read),
                Err(message) => {
                    self.error(at.error("value", message));
                    None
                }
            };
        }
        let number = match &f.value {
            Some(raw::Value::Num(n)) => Some(*n),
            _ => None,
        };
        let value = self.number_value(at, ind, f, number)?;
        Some((value, plain))
    }

    fn number_value(
        &mut self,
        at: At<'_, raw::Figure>,
        ind: &Indicator,
        f: &raw::Figure,
        number: Option<raw::Num>,
    ) -> Option<FigureValue> {
        match ind.kind {
            IndicatorKind::Count => {
                if f.achieved.is_some() {
                    self.error(at.error(
                        "achieved",
                        format!(
                            "indicator {} counts {}; `achieved` is for milestones",
                            ind.code, ind.unit
                        ),
                    ));
                }
                match number {
                    Some(raw::Num::Int(n)) if n >= 0 => {
                        Some(FigureValue::Count { value: n as u64 })
                    }
                    Some(raw::Num::Int(n)) => {
                        self.error(at.error(
                            "value",
                            format!(
                                "{n} is negative: a count of {} is a whole number of 0 or more",
                                ind.unit
                            ),
                        ));
                        None
                    }
                    Some(raw::Num::Float(x)) => {
                        self.error(at.error(
                            "value",
                            format!(
                                "{x} is not a whole number: indicator {} counts {}",
                                ind.code, ind.unit
                            ),
                        ));
                        None
                    }
                    None => {
                        self.error(at.error(
                            "value",
                            format!(
                                "indicator {} counts {}: the figure needs a `value`",
                                ind.code, ind.unit
                            ),
                        ));
                        None
                    }
                }
            }
            IndicatorKind::Percentage => match number {
                Some(v) if (0.0..=100.0).contains(&v.as_f64()) => {
                    Some(FigureValue::Percentage { value: v.as_f64() })
                }
                Some(v) => {
                    self.error(at.error(
                        "value",
                        format!("{} is not a percentage between 0 and 100", v.as_f64()),
                    ));
                    None
                }
                None => {
                    self.error(at.error("value", "a percentage figure needs a `value`"));
                    None
                }
            },
            IndicatorKind::Milestone => {
                if number.is_some() {
                    self.error(at.error("value", format!("indicator {} is a milestone, which has no number: write `achieved = true` or `false`", ind.code)));
                    return None;
                }
                let status = f
                    .milestone
                    .as_deref()
                    .and_then(mignet_core::stated::MilestoneStatus::parse);
                match (f.achieved, status) {
                    (Some(achieved), _) => Some(FigureValue::Milestone { achieved }),
                    (None, Some(status)) => Some(FigureValue::Milestone {
                        achieved: status == mignet_core::stated::MilestoneStatus::Achieved,
                    }),
                    (None, None) if f.milestone.is_some() => None,
                    (None, None) => {
                        self.error(at.error(
                            "achieved",
                            format!(
                                "indicator {} is a milestone: write `achieved = true` or `false`",
                                ind.code
                            ),
                        ));
                        None
                    }
                }
            }
        }
    }
}
