//! Reading the whole dataset back from the tables.

use crate::{Store, StoreError};
use mignet_core::JointMethod;
use mignet_core::model::*;
use mignet_core::stated::{Currency, MilestoneStatus, Qualifier, Stated};
use mignet_core::vocab::Vocabulary;
use mignet_core::{FrameworkCode, ItemId, OrgCode, PeriodCode, PlaceCode};
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// The enums are stored as their serde names (`un_agency`), so serde reads them back.
fn enum_of<T: DeserializeOwned>(s: String) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.clone()))
        .map_err(|_| StoreError::Corrupt(format!("unknown value `{s}`")))
}

fn code<T>(
    s: String,
    parse: fn(&str) -> Result<T, mignet_core::CodeError>,
) -> Result<T, StoreError> {
    parse(&s).map_err(|e| StoreError::Corrupt(format!("code `{s}` {e}")))
}

fn get<T>(r: &AnyRow, col: &str) -> Result<T, StoreError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    Ok(r.try_get(col)?)
}

async fn rows(conn: &mut AnyConnection, sql: &'static str) -> Result<Vec<AnyRow>, StoreError> {
    Ok(sqlx::query(sql).fetch_all(&mut *conn).await?)
}

/// Groups child rows by their parent key, keeping their order.
fn grouped<V>(
    rows: &[AnyRow],
    key: impl Fn(&AnyRow) -> Result<String, StoreError>,
    val: impl Fn(&AnyRow) -> Result<V, StoreError>,
) -> Result<BTreeMap<String, Vec<V>>, StoreError> {
    let mut m: BTreeMap<String, Vec<V>> = BTreeMap::new();
    for r in rows {
        m.entry(key(r)?).or_default().push(val(r)?);
    }
    Ok(m)
}

fn pk2(a: &str, b: &str) -> impl Fn(&AnyRow) -> Result<String, StoreError> {
    let (a, b) = (a.to_owned(), b.to_owned());
    move |r| {
        Ok(format!(
            "{}/{}",
            get::<String>(r, &a)?,
            get::<String>(r, &b)?
        ))
    }
}

impl Store {
    /// Everything in the store, or `None` while nothing has been loaded.
    pub async fn dataset(&self) -> Result<Option<Dataset>, StoreError> {
        // Every table from one moment, so that no concurrent write shows half done.
        let mut tx = crate::tx::begin_read(self).await?;
        let ds = read_dataset(&mut tx).await?;
        tx.rollback().await?;
        Ok(ds)
    }

    /// [`Store::dataset`] with the version of every figure, read at the same moment: a reader that
    /// shows a figure from the dataset shows the version of that very content.
    pub async fn dataset_and_versions(
        &self,
    ) -> Result<Option<(Dataset, FigureVersions)>, StoreError> {
        let mut tx = crate::tx::begin_read(self).await?;
        let Some(ds) = read_dataset(&mut tx).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let mut versions = FigureVersions::default();
        for r in rows(&mut tx, "SELECT period, id, version FROM figures").await? {
            versions
                .0
                .insert((get(&r, "period")?, get(&r, "id")?), get(&r, "version")?);
        }
        tx.rollback().await?;
        Ok(Some((ds, versions)))
    }
}

/// The version of each stored figure, by period and id (what a writer sends back to change it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureVersions(std::collections::HashMap<(String, String), i64>);

impl FigureVersions {
    pub fn get(&self, period: &str, id: &str) -> Option<i64> {
        self.0.get(&(period.to_owned(), id.to_owned())).copied()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn set(&mut self, period: &str, id: &str, version: i64) {
        self.0.insert((period.to_owned(), id.to_owned()), version);
    }
}

/// A stored small-count threshold (the schema keeps it at 1 or more).
fn threshold(v: i64) -> Result<u64, StoreError> {
    u64::try_from(v)
        .ok()
        .filter(|&t| t >= 1)
        .ok_or_else(|| StoreError::Corrupt(format!("small-count threshold {v}")))
}

pub(crate) async fn read_dataset(conn: &mut AnyConnection) -> Result<Option<Dataset>, StoreError> {
    let Some(n) = rows(
        conn,
        "SELECT code, name, short_name, tagline, country, small_count_threshold, separation_of_duties, agency_approval, time_zone FROM network",
    )
    .await?
    .into_iter()
    .next() else {
        return Ok(None);
    };
    let network = Network {
        code: get(&n, "code")?,
        name: get(&n, "name")?,
        short_name: get(&n, "short_name")?,
        tagline: get(&n, "tagline")?,
        countries: {
            let listed: Vec<String> =
                rows(conn, "SELECT code FROM network_countries ORDER BY position")
                    .await?
                    .iter()
                    .map(|r| get(r, "code"))
                    .collect::<Result<_, _>>()?;
            // A network stored before countries were listed has its one country in `network`.
            if listed.is_empty() {
                vec![get(&n, "country")?]
            } else {
                listed
            }
        },
        small_count_threshold: threshold(get(&n, "small_count_threshold")?)?,
        separation_of_duties: get::<i64>(&n, "separation_of_duties")? != 0,
        agency_approval: get::<i64>(&n, "agency_approval")? != 0,
        time_zone: get(&n, "time_zone")?,
    };

    let mut organisations = Vec::new();
    for r in rows(
        conn,
        "SELECT code, short_name, name, kind, member, parent FROM organisations ORDER BY position",
    )
    .await?
    {
        organisations.push(Organisation {
            code: code(get(&r, "code")?, OrgCode::parse)?,
            short_name: get(&r, "short_name")?,
            name: get(&r, "name")?,
            kind: enum_of(get(&r, "kind")?)?,
            member: get::<i64>(&r, "member")? != 0,
            parent: get::<Option<String>>(&r, "parent")?
                .map(|p| code(p, OrgCode::parse))
                .transpose()?,
        });
    }
    let mut roles = Vec::new();
    for r in rows(
        conn,
        "SELECT role, organisation, note FROM roles ORDER BY position",
    )
    .await?
    {
        roles.push(Role {
            role: enum_of(get(&r, "role")?)?,
            organisation: code(get(&r, "organisation")?, OrgCode::parse)?,
            note: get(&r, "note")?,
        });
    }

    let fw_row = rows(conn, "SELECT version, title FROM frameworks")
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt("a network without a framework".into()))?;
    let mut framework = Framework {
        version: get(&fw_row, "version")?,
        title: get(&fw_row, "title")?,
        priorities: vec![],
        outcomes: vec![],
        indicators: vec![],
    };
    for r in rows(
        conn,
        "SELECT code, title, summary FROM priorities ORDER BY position",
    )
    .await?
    {
        framework.priorities.push(Priority {
            code: code(get(&r, "code")?, FrameworkCode::parse)?,
            title: get(&r, "title")?,
            summary: get(&r, "summary")?,
        });
    }
    for r in rows(
        conn,
        "SELECT code, priority, statement FROM outcomes ORDER BY position",
    )
    .await?
    {
        framework.outcomes.push(Outcome {
            code: code(get(&r, "code")?, FrameworkCode::parse)?,
            priority: code(get(&r, "priority")?, FrameworkCode::parse)?,
            statement: get(&r, "statement")?,
        });
    }
    let ind_key = |r: &AnyRow| get::<String>(r, "indicator");
    let mut disaggs = grouped(&rows(conn, "SELECT indicator, key, label FROM indicator_disaggregations ORDER BY indicator, position").await?, ind_key, |r| Ok(Disaggregation { key: get(r, "key")?, label: get(r, "label")? }))?;
    let mut places = grouped(
        &rows(
            conn,
            "SELECT indicator, province FROM indicator_places ORDER BY indicator, position",
        )
        .await?,
        ind_key,
        |r| code(get(r, "province")?, PlaceCode::parse),
    )?;
    let mut tags = grouped(
        &rows(
            conn,
            "SELECT indicator, scheme, code FROM indicator_tags ORDER BY indicator, position",
        )
        .await?,
        ind_key,
        |r| Ok((get::<String>(r, "scheme")?, get::<String>(r, "code")?)),
    )?;
    let mut targets = grouped(
        &rows(
            conn,
            "SELECT indicator, period, value, cumulative FROM indicator_targets \
             ORDER BY indicator, position, period, cumulative",
        )
        .await?,
        ind_key,
        |r| {
            Ok(Target {
                period: code(get(r, "period")?, PeriodCode::parse)?,
                value: get(r, "value")?,
                cumulative: get::<i64>(r, "cumulative")? != 0,
            })
        },
    )?;
    for r in rows(conn, "SELECT code, outcome, statement, unit, kind, figure_source_required, baseline_value, baseline_year, baseline_note, sensitive, small_count_threshold FROM indicators ORDER BY position").await? {
        let c: String = get(&r, "code")?;
        let tags = tags.remove(&c).unwrap_or_default();
        let baseline = match (get::<Option<f64>>(&r, "baseline_value")?, get::<Option<i64>>(&r, "baseline_year")?) {
            (Some(value), Some(year)) => Some(Baseline { value, year: year as i32, note: get(&r, "baseline_note")? }),
            _ => None,
        };
        framework.indicators.push(Indicator {
            outcome: code(get(&r, "outcome")?, FrameworkCode::parse)?,
            statement: get(&r, "statement")?,
            unit: get(&r, "unit")?,
            kind: enum_of(get(&r, "kind")?)?,
            disaggregations: disaggs.remove(&c).unwrap_or_default(),
            places: places.remove(&c).unwrap_or_default(),
            gcm: tags.iter().filter(|(s, _)| s == "gcm").map(|(_, v)| v.parse::<u8>().map_err(|_| StoreError::Corrupt(format!("GCM objective `{v}`")))).collect::<Result<_, _>>()?,
            sdg: tags.iter().filter(|(s, _)| s == "sdg").map(|(_, v)| v.clone()).collect(),
            figure_source_required: get::<i64>(&r, "figure_source_required")? != 0,
            baseline,
            targets: targets.remove(&c).unwrap_or_default(),
            sensitive: get::<i64>(&r, "sensitive")? != 0,
            threshold: get::<Option<i64>>(&r, "small_count_threshold")?.map(threshold).transpose()?,
            code: code(c, FrameworkCode::parse)?,
        });
    }

    let mut pledge_prios = grouped(
        &rows(
            conn,
            "SELECT pledge, priority FROM pledge_priorities ORDER BY pledge, priority",
        )
        .await?,
        |r| get(r, "pledge"),
        |r| code(get(r, "priority")?, FrameworkCode::parse),
    )?;
    let mut pledges = Vec::new();
    for r in rows(
        conn,
        "SELECT id, forum, made_by, text, wording, source FROM pledges ORDER BY position",
    )
    .await?
    {
        let id: String = get(&r, "id")?;
        pledges.push(Pledge {
            priorities: pledge_prios.remove(&id).unwrap_or_default(),
            id: code(id, ItemId::parse)?,
            forum: get(&r, "forum")?,
            made_by: get::<Option<String>>(&r, "made_by")?
                .map(|m| code(m, OrgCode::parse))
                .transpose()?,
            text: get(&r, "text")?,
            wording: enum_of(get(&r, "wording")?)?,
            source: get(&r, "source")?,
        });
    }

    let mut members = grouped(
        &rows(
            conn,
            "SELECT grp, organisation, role FROM working_group_members ORDER BY grp, position",
        )
        .await?,
        |r| get(r, "grp"),
        |r| {
            Ok((
                get::<String>(r, "role")?,
                code(get(r, "organisation")?, OrgCode::parse)?,
            ))
        },
    )?;
    let mut groups = Vec::new();
    for r in rows(conn, "SELECT code, name, established, status, renamed_to, renamed_in, members_note, description FROM working_groups ORDER BY position").await? {
        let c: String = get(&r, "code")?;
        let m = members.remove(&c).unwrap_or_default();
        let with_role = |role: &str| m.iter().filter(|(r, _)| r == role).map(|(_, o)| o.clone()).collect::<Vec<_>>();
        groups.push(WorkingGroup {
            co_chairs: with_role("co_chair"),
            secretariat: with_role("secretariat"),
            members: with_role("member"),
            code: code(c, ItemId::parse)?,
            name: get(&r, "name")?,
            established: get(&r, "established")?,
            status: enum_of(get(&r, "status")?)?,
            renamed_to: get(&r, "renamed_to")?,
            renamed_in: get(&r, "renamed_in")?,
            members_note: get(&r, "members_note")?,
            description: get(&r, "description")?,
        });
    }

    let periods = read_periods(conn).await?;
    let mut gazetteer = Gazetteer::default();
    for r in rows(
        conn,
        "SELECT pcode, name, local_name, parent, level FROM gazetteer ORDER BY position",
    )
    .await?
    {
        gazetteer.areas.push(Area {
            pcode: get(&r, "pcode")?,
            name: get(&r, "name")?,
            local_name: get(&r, "local_name")?,
            parent: get(&r, "parent")?,
            level: u8::try_from(get::<i64>(&r, "level")?)
                .map_err(|_| StoreError::Corrupt("a gazetteer level".into()))?,
        });
    }
    gazetteer.boundaries = rows(conn, "SELECT geojson FROM boundaries")
        .await?
        .first()
        .map(|r| get(r, "geojson"))
        .transpose()?;
    let mut translations = mignet_core::translate::Translations::default();
    for r in rows(conn, "SELECT lang, source, text FROM translations").await? {
        let (lang, source, text): (String, String, String) =
            (get(&r, "lang")?, get(&r, "source")?, get(&r, "text")?);
        translations.set(&lang, &source, &text);
    }
    Ok(Some(Dataset {
        network,
        organisations,
        roles,
        framework,
        pledges,
        groups,
        periods,
        gazetteer,
        translations,
    }))
}

async fn read_periods(conn: &mut AnyConnection) -> Result<Vec<PeriodData>, StoreError> {
    let period_key = |r: &AnyRow| get::<String>(r, "period");
    let mut sections = grouped(
        &rows(
            conn,
            "SELECT period, priority, outcome, kind, text FROM sections ORDER BY period, position",
        )
        .await?,
        period_key,
        |r| {
            Ok(Section {
                priority: get::<Option<String>>(r, "priority")?
                    .map(|c| code(c, FrameworkCode::parse))
                    .transpose()?,
                outcome: get::<Option<String>>(r, "outcome")?
                    .map(|c| code(c, FrameworkCode::parse))
                    .transpose()?,
                kind: enum_of(get(r, "kind")?)?,
                text: get(r, "text")?,
            })
        },
    )?;
    let mut statistics = grouped(&rows(conn, "SELECT period, id, label, value, unit, display, qualifier, source, source_org, as_of, footnote FROM statistics ORDER BY period, position").await?, period_key, |r| {
        Ok(Statistic {
            id: code(get(r, "id")?, ItemId::parse)?,
            label: get(r, "label")?,
            value: get(r, "value")?,
            unit: get(r, "unit")?,
            display: enum_of(get(r, "display")?)?,
            qualifier: get(r, "qualifier")?,
            source: get(r, "source")?,
            source_org: get::<Option<String>>(r, "source_org")?.map(|c| code(c, OrgCode::parse)).transpose()?,
            as_of: get(r, "as_of")?,
            footnote: get::<Option<String>>(r, "footnote")?.map(|c| code(c, ItemId::parse)).transpose()?,
        })
    })?;
    let mut footnotes = grouped(
        &rows(
            conn,
            "SELECT period, id, marker, text FROM footnotes ORDER BY period, position",
        )
        .await?,
        period_key,
        |r| {
            Ok(Footnote {
                id: code(get(r, "id")?, ItemId::parse)?,
                marker: get(r, "marker")?,
                text: get(r, "text")?,
            })
        },
    )?;
    let mut derived = grouped(
        &rows(
            conn,
            "SELECT period, id, kind, a, b, decimals FROM derived ORDER BY period, position",
        )
        .await?,
        period_key,
        |r| {
            Ok(Derived {
                id: code(get(r, "id")?, ItemId::parse)?,
                kind: enum_of(get(r, "kind")?)?,
                a: code(get(r, "a")?, ItemId::parse)?,
                b: code(get(r, "b")?, ItemId::parse)?,
                decimals: get::<i64>(r, "decimals")? as u8,
            })
        },
    )?;
    let mut claims = grouped(&rows(conn, "SELECT period, id, derived, published, text, location FROM claims ORDER BY period, position").await?, period_key, |r| {
        Ok(Claim { id: code(get(r, "id")?, ItemId::parse)?, derived: code(get(r, "derived")?, ItemId::parse)?, published: get(r, "published")?, text: get(r, "text")?, location: get(r, "location")? })
    })?;
    let mut f_orgs = grouped(&rows(conn, "SELECT period, figure, organisation FROM figure_organisations ORDER BY period, figure, position").await?, pk2("period", "figure"), |r| code(get(r, "organisation")?, OrgCode::parse))?;
    let mut f_parts = grouped(
        &rows(
            conn,
            "SELECT period, figure, key, value FROM figure_parts ORDER BY period, figure, key",
        )
        .await?,
        pk2("period", "figure"),
        |r| Ok((get::<String>(r, "key")?, get::<i64>(r, "value")? as u64)),
    )?;
    let mut f_places = grouped(
        &rows(
            conn,
            "SELECT period, figure, province FROM figure_places ORDER BY period, figure, position",
        )
        .await?,
        pk2("period", "figure"),
        |r| code(get(r, "province")?, PlaceCode::parse),
    )?;
    let mut f_sites = grouped(
        &rows(
            conn,
            "SELECT period, figure, site FROM figure_sites ORDER BY period, figure, position",
        )
        .await?,
        pk2("period", "figure"),
        |r| get::<String>(r, "site"),
    )?;
    let mut f_notes = grouped(&rows(conn, "SELECT period, figure, footnote FROM figure_footnotes ORDER BY period, figure, position").await?, pk2("period", "figure"), |r| code(get(r, "footnote")?, ItemId::parse))?;
    let mut figures: BTreeMap<String, Vec<Figure>> = BTreeMap::new();
    for r in rows(conn, FIGURES_ALL).await? {
        let key = pk2("period", "id")(&r)?;
        let children = FigureChildren {
            organisations: f_orgs.remove(&key).unwrap_or_default(),
            disaggregation: f_parts.remove(&key).unwrap_or_default(),
            places: f_places.remove(&key).unwrap_or_default(),
            sites: f_sites.remove(&key).unwrap_or_default(),
            footnotes: f_notes.remove(&key).unwrap_or_default(),
        };
        figures
            .entry(get(&r, "period")?)
            .or_default()
            .push(figure_from_row(&r, &key, children)?);
    }
    let mut line_figs = grouped(
        &rows(
            conn,
            "SELECT period, line, figure FROM line_figures ORDER BY period, line, position",
        )
        .await?,
        |r| {
            Ok(format!(
                "{}/{}",
                get::<String>(r, "period")?,
                get::<i64>(r, "line")?
            ))
        },
        |r| code(get(r, "figure")?, ItemId::parse),
    )?;
    let mut lines: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for r in rows(
        conn,
        "SELECT period, position, outcome, text FROM lines ORDER BY period, position",
    )
    .await?
    {
        let p: String = get(&r, "period")?;
        let key = format!("{p}/{}", get::<i64>(&r, "position")?);
        lines.entry(p).or_default().push(Line {
            outcome: code(get(&r, "outcome")?, FrameworkCode::parse)?,
            figures: line_figs.remove(&key).unwrap_or_default(),
            text: get(&r, "text")?,
        });
    }

    let mut assignments: BTreeMap<String, Vec<Assignment>> = BTreeMap::new();
    for r in rows(
        conn,
        "SELECT period, organisation, indicator FROM period_assignments ORDER BY period, position",
    )
    .await?
    {
        assignments
            .entry(get(&r, "period")?)
            .or_default()
            .push(Assignment {
                organisation: code(get(&r, "organisation")?, OrgCode::parse)?,
                indicator: code(get(&r, "indicator")?, FrameworkCode::parse)?,
            });
    }
    let mut out = Vec::new();
    for r in rows(conn, "SELECT code, title, starts, ends, status, framework, introduction, opens, due, publishes FROM periods ORDER BY code").await? {
        let c: String = get(&r, "code")?;
        let round = Round {
            opens: get(&r, "opens")?,
            due: get(&r, "due")?,
            publishes: get(&r, "publishes")?,
            assignments: assignments.remove(&c).unwrap_or_default(),
        };
        out.push(PeriodData {
            sections: sections.remove(&c).unwrap_or_default(),
            statistics: statistics.remove(&c).unwrap_or_default(),
            footnotes: footnotes.remove(&c).unwrap_or_default(),
            derived: derived.remove(&c).unwrap_or_default(),
            claims: claims.remove(&c).unwrap_or_default(),
            figures: figures.remove(&c).unwrap_or_default(),
            lines: lines.remove(&c).unwrap_or_default(),
            period: Period {
                code: code(c, PeriodCode::parse)?,
                title: get(&r, "title")?,
                starts: get(&r, "starts")?,
                ends: get(&r, "ends")?,
                status: enum_of(get(&r, "status")?)?,
                framework: get(&r, "framework")?,
                introduction: get(&r, "introduction")?,
                round,
            },
        });
    }
    Ok(out)
}

struct FigureChildren {
    organisations: Vec<OrgCode>,
    disaggregation: Vec<(String, u64)>,
    places: Vec<PlaceCode>,
    sites: Vec<String>,
    footnotes: Vec<ItemId>,
}

/// A figure's own row, as [`figure_from_row`] reads it: all of them, or one. (Two literals, as the
/// store runs only `&'static str` statements.)
const FIGURES_ALL: &str = "SELECT period, id, indicator, value_kind, value_count, value_percent, achieved, note, evidence, status, status_by, status_at, joint_method, joint_records, joint_overlap, qualifier, value_high, currency, numerator, denominator, milestone, milestone_date, cumulative, in_words, locations, in_areas FROM figures ORDER BY period, position";
const FIGURE_BY_ID: &str = "SELECT period, id, indicator, value_kind, value_count, value_percent, achieved, note, evidence, status, status_by, status_at, joint_method, joint_records, joint_overlap, qualifier, value_high, currency, numerator, denominator, milestone, milestone_date, cumulative, in_words, locations, in_areas FROM figures WHERE period = $1 AND id = $2";

/// How the figure's value was stated, from its row.
fn stated_from_row(r: &AnyRow, key: &str) -> Result<Stated, StoreError> {
    fn named<V: Vocabulary>(r: &AnyRow, col: &str, key: &str) -> Result<Option<V>, StoreError> {
        get::<Option<String>>(r, col)?
            .map(|n| {
                V::from_name(&n)
                    .ok_or_else(|| StoreError::Corrupt(format!("figure {key} has {col} `{n}`")))
            })
            .transpose()
    }
    Ok(Stated {
        qualifier: named::<Qualifier>(r, "qualifier", key)?,
        high: get(r, "value_high")?,
        currency: get::<Option<String>>(r, "currency")?
            .map(|c| {
                Currency::parse(&c)
                    .ok_or_else(|| StoreError::Corrupt(format!("figure {key} has currency `{c}`")))
            })
            .transpose()?,
        numerator: get(r, "numerator")?,
        denominator: get(r, "denominator")?,
        milestone: named::<MilestoneStatus>(r, "milestone", key)?,
        date: get(r, "milestone_date")?,
        cumulative: get::<i64>(r, "cumulative")? != 0,
        in_words: get::<i64>(r, "in_words")? != 0,
    })
}

fn figure_from_row(r: &AnyRow, key: &str, c: FigureChildren) -> Result<Figure, StoreError> {
    let kind: String = get(r, "value_kind")?;
    let value = match kind.as_str() {
        "count" => FigureValue::Count {
            value: get::<Option<i64>>(r, "value_count")?
                .ok_or_else(|| StoreError::Corrupt(format!("figure {key} has no count")))?
                as u64,
        },
        "percentage" => FigureValue::Percentage {
            value: get::<Option<f64>>(r, "value_percent")?
                .ok_or_else(|| StoreError::Corrupt(format!("figure {key} has no percentage")))?,
        },
        _ => FigureValue::Milestone {
            achieved: get::<Option<i64>>(r, "achieved")?.unwrap_or(0) != 0,
        },
    };
    let status: String = get(r, "status")?;
    Ok(Figure {
        id: code(get(r, "id")?, ItemId::parse)?,
        indicator: code(get(r, "indicator")?, FrameworkCode::parse)?,
        organisations: c.organisations,
        value,
        disaggregation: c.disaggregation,
        places: c.places,
        sites: c.sites,
        locations: count(r, "locations")?,
        in_areas: count(r, "in_areas")?,
        note: get(r, "note")?,
        evidence: get(r, "evidence")?,
        footnotes: c.footnotes,
        status: FigureStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status `{status}`")))?,
        status_by: get(r, "status_by")?,
        status_at: get(r, "status_at")?,
        joint: joint_from_row(r, key)?,
        withheld_parts: Vec::new(),
        stated: stated_from_row(r, key)?,
    })
}

fn count(r: &AnyRow, col: &str) -> Result<Option<u64>, StoreError> {
    Ok(get::<Option<i64>>(r, col)?.map(|n| n as u64))
}

fn joint_from_row(r: &AnyRow, key: &str) -> Result<JointMethod, StoreError> {
    let name: String = get(r, "joint_method")?;
    let count = |col: &str| -> Result<Option<u64>, StoreError> {
        Ok(get::<Option<i64>>(r, col)?.map(|n| n as u64))
    };
    JointMethod::from_parts(&name, count("joint_records")?, count("joint_overlap")?).ok_or_else(
        || {
            StoreError::Corrupt(format!(
                "figure {key} has joint method `{name}` with the wrong counts"
            ))
        },
    )
}

/// One figure with its child rows, or `None`.
pub(crate) async fn read_figure(
    conn: &mut AnyConnection,
    period: &str,
    id: &str,
) -> Result<Option<Figure>, StoreError> {
    let Some(r) = sqlx::query(FIGURE_BY_ID)
        .bind(period.to_owned())
        .bind(id.to_owned())
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let key = format!("{period}/{id}");
    async fn list(
        conn: &mut AnyConnection,
        sql: &'static str,
        period: &str,
        id: &str,
    ) -> Result<Vec<AnyRow>, StoreError> {
        Ok(sqlx::query(sql)
            .bind(period.to_owned())
            .bind(id.to_owned())
            .fetch_all(&mut *conn)
            .await?)
    }
    let organisations = list(conn, "SELECT organisation FROM figure_organisations WHERE period = $1 AND figure = $2 ORDER BY position", period, id).await?.iter().map(|r| code(get(r, "organisation")?, OrgCode::parse)).collect::<Result<_, _>>()?;
    let disaggregation = list(
        conn,
        "SELECT key, value FROM figure_parts WHERE period = $1 AND figure = $2 ORDER BY key",
        period,
        id,
    )
    .await?
    .iter()
    .map(|r| Ok((get::<String>(r, "key")?, get::<i64>(r, "value")? as u64)))
    .collect::<Result<_, StoreError>>()?;
    let places = list(
        conn,
        "SELECT province FROM figure_places WHERE period = $1 AND figure = $2 ORDER BY position",
        period,
        id,
    )
    .await?
    .iter()
    .map(|r| code(get(r, "province")?, PlaceCode::parse))
    .collect::<Result<_, _>>()?;
    let sites = list(
        conn,
        "SELECT site FROM figure_sites WHERE period = $1 AND figure = $2 ORDER BY position",
        period,
        id,
    )
    .await?
    .iter()
    .map(|r| get::<String>(r, "site"))
    .collect::<Result<_, _>>()?;
    let footnotes = list(
        conn,
        "SELECT footnote FROM figure_footnotes WHERE period = $1 AND figure = $2 ORDER BY position",
        period,
        id,
    )
    .await?
    .iter()
    .map(|r| code(get(r, "footnote")?, ItemId::parse))
    .collect::<Result<_, _>>()?;
    Ok(Some(figure_from_row(
        &r,
        &key,
        FigureChildren {
            organisations,
            disaggregation,
            places,
            sites,
            footnotes,
        },
    )?))
}
