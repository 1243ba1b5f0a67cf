//! The dataset folder: TOML files a person edits, read into one validated [`Dataset`].
//!
//! Reading never stops at the first problem: every error of every file is collected, each with the file,
//! the line and the field, so that one run shows everything to fix. A folder with any error yields no
//! dataset at all, so nothing half-read can reach the store.

mod raw;

use mignet_core::JointMethod;
use mignet_core::markup::{self, Token};
use mignet_core::model::*;
use mignet_core::vocab::Vocabulary;
use mignet_core::{FrameworkCode, ItemId, OrgCode, PeriodCode, ProvinceCode};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One problem in a dataset folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetError {
    /// The file, relative to the dataset folder.
    pub file: String,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DatasetError {}

/// Reads and checks a whole dataset folder.
pub fn read_dir(dir: &Path) -> Result<Dataset, Vec<DatasetError>> {
    let mut r = Reader {
        dir: dir.to_owned(),
        errors: Vec::new(),
    };
    let ds = r.read();
    match ds {
        Some(ds) if r.errors.is_empty() => Ok(ds),
        _ => {
            if r.errors.is_empty() {
                r.errors.push(DatasetError {
                    file: ".".into(),
                    line: None,
                    field: None,
                    message: "the dataset could not be read".into(),
                });
            }
            Err(r.errors)
        }
    }
}

/// One file's text, for turning byte offsets into line numbers.
struct Source {
    file: String,
    text: String,
}

impl Source {
    fn line_at(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }

    /// The line of `field = ...` inside an entry, or the entry's first line when the field is not written
    /// there (a missing field, or one given in an inline table).
    fn field_line<T>(&self, entry: &Spanned<T>, field: &str) -> usize {
        // The span of an entry of an array of tables may cover its header alone, so the entry's body is
        // taken to run to the next table header.
        let start = entry.span().start.min(self.text.len());
        let mut offset = start;
        for (i, line) in self.text[start..].split_inclusive('\n').enumerate() {
            let t = line.trim_start();
            if i > 0 && t.starts_with('[') {
                break;
            }
            if let Some(rest) = t.strip_prefix(field)
                && rest.trim_start().starts_with('=')
            {
                return self.line_at(offset);
            }
            offset += line.len();
        }
        self.line_at(start)
    }
}

struct Reader {
    dir: PathBuf,
    errors: Vec<DatasetError>,
}

/// Where an error points: a source and an entry in it.
struct At<'a, T> {
    src: &'a Source,
    entry: &'a Spanned<T>,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for At<'_, T> {}

impl<'a, T> At<'a, T> {
    fn error(&self, field: &str, message: impl Into<String>) -> DatasetError {
        DatasetError {
            file: self.src.file.clone(),
            line: Some(self.src.field_line(self.entry, field)),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

/// Suggests the closest known code for a misspelt one.
fn did_you_mean<'k>(wrong: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    let best = known
        .into_iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(&wrong.to_lowercase(), &k.to_lowercase()),
                k,
            )
        })
        .min();
    match best {
        Some((d, k)) if d <= 2 || (d <= 3 && wrong.len() > 6) => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

impl Reader {
    fn error(&mut self, e: DatasetError) {
        self.errors.push(e);
    }

    fn source(&mut self, rel: &str, required: bool) -> Option<Source> {
        let path = self.dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(Source {
                file: rel.to_owned(),
                text,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => None,
            Err(e) => {
                self.error(DatasetError {
                    file: rel.into(),
                    line: None,
                    field: None,
                    message: format!("cannot be read: {e}"),
                });
                None
            }
        }
    }

    fn parse<T: serde::de::DeserializeOwned>(&mut self, src: &Source) -> Option<T> {
        match toml::from_str::<T>(&src.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let line = e.span().map(|s| src.line_at(s.start));
                // The toml error's own text repeats the source line with a caret; the message alone reads
                // better after our file and line.
                let message = e.message().trim().to_owned();
                self.error(DatasetError {
                    file: src.file.clone(),
                    line,
                    field: None,
                    message,
                });
                None
            }
        }
    }

    fn read(&mut self) -> Option<Dataset> {
        if !self.dir.is_dir() {
            self.error(DatasetError {
                file: self.dir.display().to_string(),
                line: None,
                field: None,
                message: "is not a folder".into(),
            });
            return None;
        }
        let net_src = self.source("network.toml", true);
        let fw_src = self.source("framework.toml", true);
        let pledge_src = self.source("pledges.toml", false);
        let group_src = self.source("groups.toml", false);
        let net: Option<raw::NetworkFile> = net_src.as_ref().and_then(|s| self.parse(s));
        let fw: Option<raw::FrameworkFile> = fw_src.as_ref().and_then(|s| self.parse(s));
        let pledges: raw::PledgesFile = pledge_src
            .as_ref()
            .and_then(|s| self.parse(s))
            .unwrap_or_default();
        let groups: raw::GroupsFile = group_src
            .as_ref()
            .and_then(|s| self.parse(s))
            .unwrap_or_default();

        let (net, net_src) = (net?, net_src?);
        let (fw, fw_src) = (fw?, fw_src?);
        let (network, organisations, roles) = self.network(&net_src, net);
        let orgs: BTreeSet<String> = organisations.iter().map(|o| o.code.to_string()).collect();
        let framework = self.framework(&fw_src, fw);
        let mut ds = Dataset {
            network,
            organisations,
            roles,
            framework,
            pledges: Vec::new(),
            groups: Vec::new(),
            periods: Vec::new(),
        };
        for o in &ds.organisations {
            if let Some(parent) = &o.parent
                && !orgs.contains(parent.as_str())
            {
                self.error(DatasetError {
                    file: "network.toml".into(),
                    line: None,
                    field: Some("parent".into()),
                    message: format!(
                        "organisation `{}` names parent `{parent}`, which is not in the list{}",
                        o.code,
                        did_you_mean(parent.as_str(), orgs.iter().map(String::as_str))
                    ),
                });
            }
        }
        if let Some(src) = &pledge_src {
            ds.pledges = self.pledges(src, pledges, &ds);
        }
        if let Some(src) = &group_src {
            ds.groups = self.groups(src, groups, &ds);
        }
        ds.periods = self.periods(&ds);
        Some(ds)
    }

    fn code<C, T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        parse: fn(&str) -> Result<C, mignet_core::CodeError>,
    ) -> Option<C> {
        match parse(value) {
            Ok(c) => Some(c),
            Err(e) => {
                self.error(at.error(field, format!("`{value}` is not a valid code: it {e}")));
                None
            }
        }
    }

    fn org_ref<T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        ds_orgs: &BTreeSet<String>,
    ) -> Option<OrgCode> {
        if !ds_orgs.contains(value) {
            self.error(at.error(
                field,
                format!(
                    "unknown organisation `{value}`{}",
                    did_you_mean(value, ds_orgs.iter().map(String::as_str))
                ),
            ));
            return None;
        }
        OrgCode::parse(value).ok()
    }

    fn enum_value<E: Copy, T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        options: &[(&str, E)],
    ) -> Option<E> {
        match options.iter().find(|(name, _)| *name == value) {
            Some((_, e)) => Some(*e),
            None => {
                let names: Vec<String> = options.iter().map(|(n, _)| format!("`{n}`")).collect();
                self.error(at.error(
                    field,
                    format!("`{value}` is not one of {}", names.join(", ")),
                ));
                None
            }
        }
    }

    /// A value of one of the model's vocabularies, written by its name.
    fn vocab<E: Vocabulary, T>(&mut self, at: At<'_, T>, field: &str, value: &str) -> Option<E> {
        let options: Vec<(&str, E)> = E::ALL.iter().map(|v| (v.name(), *v)).collect();
        self.enum_value(at, field, value, &options)
    }

    fn duplicates<'k, T>(
        &mut self,
        src: &Source,
        items: impl IntoIterator<Item = (&'k str, &'k Spanned<T>)>,
        what: &str,
        field: &str,
    ) where
        T: 'k,
    {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (code, entry) in items {
            let at = At { src, entry };
            let line = src.field_line(entry, field);
            if let Some(first) = seen.insert(code, line) {
                self.error(at.error(
                    field,
                    format!("duplicate {what} `{code}`: it is already used on line {first}"),
                ));
            }
        }
    }

    fn markup<T>(&mut self, at: At<'_, T>, field: &str, text: &str) -> Vec<Token> {
        match markup::parse(text) {
            Ok(t) => {
                for e in markup::unsafe_links(&t) {
                    self.error(at.error(field, format!("bad link: {e}")));
                }
                t
            }
            Err(e) => {
                self.error(at.error(field, format!("bad markup: {e}")));
                Vec::new()
            }
        }
    }

    fn network(
        &mut self,
        src: &Source,
        f: raw::NetworkFile,
    ) -> (Network, Vec<Organisation>, Vec<Role>) {
        let n = f.network.get_ref();
        let small_count_threshold = self.threshold(
            At {
                src,
                entry: &f.network,
            },
            "small_count_threshold",
            n.small_count_threshold,
        );
        let network = Network {
            code: n.code.clone(),
            name: n.name.clone(),
            short_name: n.short_name.clone().unwrap_or_else(|| n.name.clone()),
            tagline: n.tagline.clone(),
            country: n.country.clone(),
            small_count_threshold: small_count_threshold
                .unwrap_or(mignet_core::disclosure::DEFAULT_THRESHOLD),
        };
        self.duplicates(
            src,
            f.organisation
                .iter()
                .map(|o| (o.get_ref().code.as_str(), o)),
            "organisation code",
            "code",
        );
        let codes: BTreeSet<String> = f
            .organisation
            .iter()
            .map(|o| o.get_ref().code.clone())
            .collect();
        let mut orgs = Vec::new();
        for entry in &f.organisation {
            let at = At { src, entry };
            let o = entry.get_ref();
            let code = self.code(at, "code", &o.code, OrgCode::parse);
            let kind = self.vocab::<OrgKind, _>(at, "kind", &o.kind);
            let parent = o.parent.as_deref().and_then(|p| OrgCode::parse(p).ok());
            if let (Some(code), Some(kind)) = (code, kind) {
                orgs.push(Organisation {
                    short_name: o.short_name.clone().unwrap_or_else(|| code.to_string()),
                    code,
                    name: o.name.clone(),
                    kind,
                    member: o.member.unwrap_or(true),
                    parent,
                });
            }
        }
        let mut roles = Vec::new();
        for entry in &f.role {
            let at = At { src, entry };
            let r = entry.get_ref();
            let role = self.vocab::<RoleKind, _>(at, "role", &r.role);
            let org = self.org_ref(at, "organisation", &r.organisation, &codes);
            if let (Some(role), Some(organisation)) = (role, org) {
                roles.push(Role {
                    role,
                    organisation,
                    note: r.note.clone(),
                });
            }
        }
        (network, orgs, roles)
    }

    fn framework(&mut self, src: &Source, f: raw::FrameworkFile) -> Framework {
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
            if let Some(code) = self.code(at, "code", &p.code, FrameworkCode::parse) {
                fw.priorities.push(Priority {
                    code,
                    title: p.title.clone(),
                    summary: p.summary.clone(),
                });
            }
        }
        for entry in &f.outcome {
            let at = At { src, entry };
            let o = entry.get_ref();
            if !priorities.contains(o.priority.as_str()) {
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
        for entry in &f.indicator {
            if let Some(i) = self.indicator(At { src, entry }, &outcomes) {
                fw.indicators.push(i);
            }
        }
        fw
    }

    fn indicator(
        &mut self,
        at: At<'_, raw::Indicator>,
        outcomes: &BTreeSet<&str>,
    ) -> Option<Indicator> {
        let i = at.entry.get_ref();
        let before = self.errors.len();
        let code = self.code(at, "code", &i.code, FrameworkCode::parse);
        if !outcomes.contains(i.outcome.as_str()) {
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
                Ok(period) => targets.push(Target {
                    period,
                    value: t.value.as_f64(),
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
        Some(indicator)
    }

    /// A small-count threshold: a whole number from 1 to 1,000,000.
    fn threshold<T>(&mut self, at: At<'_, T>, field: &str, value: Option<i64>) -> Option<u64> {
        let v = value?;
        if (1..=1_000_000).contains(&v) {
            Some(v as u64)
        } else {
            self.error(at.error(
                field,
                format!("{v} is not a threshold: it must be a whole number from 1 to 1,000,000"),
            ));
            None
        }
    }

    fn places<T>(&mut self, at: At<'_, T>, places: &[String]) -> Vec<ProvinceCode> {
        let mut out = Vec::new();
        for p in places {
            match ProvinceCode::parse(p) {
                Ok(c) => out.push(c),
                Err(e) => {
                    let hint = did_you_mean(
                        p,
                        mignet_core::provinces::PROVINCES.iter().map(|(c, _, _)| *c),
                    );
                    self.error(at.error("places", format!("{e}{hint}")));
                }
            }
        }
        out
    }

    fn org_list<T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        list: &[String],
        orgs: &BTreeSet<String>,
    ) -> Vec<OrgCode> {
        list.iter()
            .filter_map(|o| self.org_ref(at, field, o, orgs))
            .collect()
    }

    fn pledges(&mut self, src: &Source, f: raw::PledgesFile, ds: &Dataset) -> Vec<Pledge> {
        self.duplicates(
            src,
            f.pledge.iter().map(|p| (p.get_ref().id.as_str(), p)),
            "pledge id",
            "id",
        );
        let orgs = org_set(ds);
        let mut out = Vec::new();
        for entry in &f.pledge {
            let at = At { src, entry };
            let p = entry.get_ref();
            let id = self.code(at, "id", &p.id, ItemId::parse);
            let made_by = p
                .made_by
                .as_deref()
                .and_then(|m| self.org_ref(at, "made_by", m, &orgs));
            let wording =
                self.vocab::<Wording, _>(at, "wording", p.wording.as_deref().unwrap_or("verbatim"));
            let mut priorities = Vec::new();
            for pr in &p.priorities {
                if ds
                    .framework
                    .priorities
                    .iter()
                    .any(|x| x.code.as_str() == pr)
                {
                    priorities.extend(FrameworkCode::parse(pr).ok());
                } else {
                    self.error(at.error("priorities", format!("unknown priority `{pr}`")));
                }
            }
            if let (Some(id), Some(wording)) = (id, wording) {
                out.push(Pledge {
                    id,
                    forum: p.forum.clone(),
                    made_by,
                    text: p.text.clone(),
                    wording,
                    priorities,
                    source: p.source.clone(),
                });
            }
        }
        out
    }

    fn groups(&mut self, src: &Source, f: raw::GroupsFile, ds: &Dataset) -> Vec<WorkingGroup> {
        self.duplicates(
            src,
            f.group.iter().map(|g| (g.get_ref().code.as_str(), g)),
            "working group code",
            "code",
        );
        let orgs = org_set(ds);
        let mut out = Vec::new();
        for entry in &f.group {
            let at = At { src, entry };
            let g = entry.get_ref();
            let code = self.code(at, "code", &g.code, ItemId::parse);
            let status =
                self.vocab::<GroupStatus, _>(at, "status", g.status.as_deref().unwrap_or("active"));
            if status == Some(GroupStatus::Renamed) && g.renamed_to.is_none() {
                self.error(at.error("renamed_to", "a renamed group needs the name it was given"));
            }
            let co_chairs = self.org_list(at, "co_chairs", &g.co_chairs, &orgs);
            let secretariat = self.org_list(at, "secretariat", &g.secretariat, &orgs);
            let members = self.org_list(at, "members", &g.members, &orgs);
            for t in self.markup(at, "description", &g.description) {
                if let Token::Pledge(id) = &t
                    && ds.pledge(id).is_none()
                {
                    self.error(at.error("description", format!("unknown pledge `{id}`")));
                }
                if matches!(t, Token::Number(_) | Token::Footnote(_)) {
                    self.error(at.error("description", "a working group's description belongs to no period, so it cannot quote figures or footnotes"));
                }
            }
            if let (Some(code), Some(status)) = (code, status) {
                out.push(WorkingGroup {
                    code,
                    name: g.name.clone(),
                    established: g.established.clone(),
                    status,
                    renamed_to: g.renamed_to.clone(),
                    renamed_in: g.renamed_in.clone(),
                    co_chairs,
                    secretariat,
                    members,
                    members_note: g.members_note.clone(),
                    description: g.description.clone(),
                });
            }
        }
        out
    }

    fn periods(&mut self, ds: &Dataset) -> Vec<PeriodData> {
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
            .into_iter()
            .filter_map(|name| self.period(ds, &name))
            .collect()
    }

    fn period(&mut self, ds: &Dataset, name: &str) -> Option<PeriodData> {
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
                && !is_iso_date(d)
            {
                self.error(pat.error(field, format!("`{d}` is not a date written as YYYY-MM-DD")));
            }
        }
        let status =
            self.vocab::<PeriodStatus, _>(pat, "status", p.status.as_deref().unwrap_or("open"));
        let period = Period {
            code: code?,
            title: p.title.clone(),
            starts: p.starts.clone(),
            ends: p.ends.clone(),
            status: status?,
            framework: p.framework.clone(),
            introduction: p.introduction.clone(),
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
        if let Some(fsrc) = &fsrc {
            for entry in &ff.figure {
                if let Some(f) = self.figure(At { src: fsrc, entry }, ds, &orgs, &data) {
                    data.figures.push(f);
                }
            }
        }
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
                    this.error(at.error(
                        field,
                        format!("`{v}` is no figure or statistic of the period"),
                    ));
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
        for entry in &pf.claim {
            let at = At { src: &psrc, entry };
            let c = entry.get_ref();
            if data.derived(&c.derived).is_none() {
                self.error(at.error("derived", format!("unknown derived figure `{}`", c.derived)));
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
                        None => self.error(at.error(
                            "figures",
                            format!(
                                "unknown figure `{fid}`{}",
                                did_you_mean(fid, data.figures.iter().map(|f| f.id.as_str()))
                            ),
                        )),
                    }
                }
                for t in self.text_refs(at, "text", &l.text, ds, &data) {
                    if let Token::Number(raw) = t
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

    fn framework_ref<'f, T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        known: impl Iterator<Item = &'f FrameworkCode> + Clone,
    ) -> Option<FrameworkCode> {
        if let Some(c) = known.clone().find(|c| c.as_str() == value) {
            return Some(c.clone());
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

    fn footnote_ref<T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        id: &str,
        data: &PeriodData,
    ) -> Option<ItemId> {
        match data.footnote(id) {
            Some(f) => Some(f.id.clone()),
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
    fn text_refs<T>(
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
                    if let Err(e) = data.resolve(raw) {
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

    fn figure(
        &mut self,
        at: At<'_, raw::Figure>,
        ds: &Dataset,
        orgs: &BTreeSet<String>,
        data: &PeriodData,
    ) -> Option<Figure> {
        let f = at.entry.get_ref();
        let before = self.errors.len();
        let id = self.code(at, "id", &f.id, ItemId::parse);
        let indicator = ds.indicator(&f.indicator);
        if indicator.is_none() {
            self.error(at.error(
                "indicator",
                format!(
                    "unknown indicator `{}`{}",
                    f.indicator,
                    did_you_mean(
                        &f.indicator,
                        ds.framework.indicators.iter().map(|i| i.code.as_str())
                    )
                ),
            ));
        }
        if f.organisations.is_empty() {
            self.error(at.error("organisations", "a figure needs at least one organisation"));
        }
        let organisations = self.org_list(at, "organisations", &f.organisations, orgs);
        let mut unique = BTreeSet::new();
        for o in &f.organisations {
            if !unique.insert(o) {
                self.error(at.error(
                    "organisations",
                    format!("`{o}` is listed twice: a joint figure names each organisation once"),
                ));
            }
        }
        let joint = self.joint(at, indicator, f, data);
        let value = match (joint, indicator) {
            (Some((_, Some(computed))), _) => {
                if let Some(typed) = f.value
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
                }
                Some(FigureValue::Count { value: computed })
            }
            // A computed method that failed has reported why; a missing `value` is not news.
            (None, _) if f.joint.as_deref().is_some_and(|j| j != "reported") => None,
            (_, Some(ind)) => self.figure_value(at, ind, f),
            (_, None) => None,
        };
        let mut disaggregation = Vec::new();
        for (key, v) in &f.disaggregation {
            if let Some(ind) = indicator
                && !ind.disaggregations.iter().any(|d| &d.key == key)
            {
                let known: Vec<&str> = ind.disaggregations.iter().map(|d| d.key.as_str()).collect();
                let known = if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                };
                self.error(at.error(
                    "disaggregation",
                    format!(
                        "indicator {} has no disaggregation `{key}` (it has: {known})",
                        ind.code
                    ),
                ));
                continue;
            }
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
        let footnotes = f
            .footnotes
            .iter()
            .filter_map(|n| self.footnote_ref(at, "footnotes", n, data))
            .collect();
        let status =
            self.vocab::<FigureStatus, _>(at, "status", f.status.as_deref().unwrap_or("draft"));
        if let Some(e) = &f.evidence
            && let Err(err) = mignet_core::links::check(e)
        {
            self.error(at.error("evidence", err.to_string()));
        }
        if self.errors.len() > before {
            return None;
        }
        Some(Figure {
            id: id?,
            indicator: indicator?.code.clone(),
            organisations,
            value: value?,
            disaggregation,
            places,
            note: f.note.clone(),
            evidence: f.evidence.clone(),
            footnotes,
            status: status?,
            status_by: None,
            status_at: None,
            joint: joint?.0,
            withheld_parts: Vec::new(),
        })
    }

    /// The joint method a figure declares and, where the method computes it, its value.
    fn joint(
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
    fn records_figure(
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

    fn figure_value(
        &mut self,
        at: At<'_, raw::Figure>,
        ind: &Indicator,
        f: &raw::Figure,
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
                match f.value {
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
            IndicatorKind::Percentage => match f.value {
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
                if f.value.is_some() {
                    self.error(at.error("value", format!("indicator {} is a milestone, which has no number: write `achieved = true` or `false`", ind.code)));
                    return None;
                }
                match f.achieved {
                    Some(achieved) => Some(FigureValue::Milestone { achieved }),
                    None => {
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

fn org_set(ds: &Dataset) -> BTreeSet<String> {
    ds.organisations
        .iter()
        .map(|o| o.code.to_string())
        .collect()
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.bytes()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}
