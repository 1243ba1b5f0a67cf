//! The public pages: the network at a glance, indicators, figures with their sources and audit trail,
//! pledges, working groups, views by GCM objective and SDG target, and the published Highlights.

use crate::auth::Session;
use crate::paging::{self, Pager};
use crate::views::{Page, default_period, figure_view, org_view, plain_text, visible};
use crate::{AppState, WebError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use mignet_core::access::{self, Actions};
use mignet_core::model::*;
use mignet_core::{numbers, tags};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

pub(crate) use crate::cache::cached_bytes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/map/{file}", get(map_svg))
        .route("/indicators", get(indicators))
        .route("/indicators/{code}", get(indicator))
        .route("/figures/{period}/{id}", get(figure))
        .route("/sources", get(sources))
        .route("/pledges", get(pledges))
        .route("/groups", get(groups))
        .route("/gcm", get(gcm))
        .route("/sdg", get(sdg))
        .route("/highlights/{period}", get(highlights))
        .route("/search", get(search))
}

/// A message of the site in the reader's language (`i18n`).
fn t(session: &Session, id: &str) -> String {
    crate::i18n::text(&session.lang, id)
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
    /// The page of a long list of figures, from 1.
    page: Option<usize>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// The page of a long list, from 1.
    page: Option<usize>,
}

async fn cached<F>(
    state: &AppState,
    session: &Session,
    key: String,
    render: F,
) -> Result<Response, WebError>
where
    F: AsyncFnOnce() -> Result<Html<String>, WebError>,
{
    if session.actor.is_some() {
        return Ok(render().await?.into_response());
    }
    // A page is cached in each language it is read in.
    let key = format!("{}:{key}", session.lang);
    let html =
        cached_bytes::<_, WebError>(state, key, async move || Ok(render().await?.0.into_bytes()))
            .await?;
    Ok(Html(html).into_response())
}

/// What the approved figures' places are called: the country's word for its first-level areas
/// (`provinces`) when they are all such, else `places`.
fn places_word(ds: &Dataset, p: &PeriodData) -> mignet_core::places::AreaWord {
    ds.places_word(
        p.figures
            .iter()
            .filter(|f| access::is_public(f))
            .flat_map(|f| &f.places),
    )
}

/// How many approved figures of the period lie in each place, counting a figure in the areas that
/// hold the places it names too: a map of regions shades the region of a township's figure.
fn per_area(ds: &Dataset, p: &PeriodData) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for f in p.figures.iter().filter(|f| access::is_public(f)) {
        let mut codes: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for pl in &f.places {
            codes.insert(pl.to_string());
            codes.extend(ds.place_ancestors(pl.as_str()));
        }
        for c in codes {
            *out.entry(c).or_default() += 1;
        }
    }
    out
}

fn map_label(lang: &str, ds: &Dataset, p: &PeriodData) -> String {
    crate::i18n::text_with(
        lang,
        "map-label",
        &[
            ("places", places_word(ds, p).heading().into()),
            ("period", p.period.code.as_str().into()),
        ],
    )
}

/// The network's map: the bundled one of Thailand, or one drawn from its own boundaries; none for
/// a network without boundaries, whose places are listed instead.
fn map_of(ds: &Dataset) -> Option<std::borrow::Cow<'static, crate::map::Map>> {
    if ds.has_thailand_map() {
        return Some(std::borrow::Cow::Borrowed(crate::map::thailand()));
    }
    let geojson = ds.gazetteer.boundaries.as_deref()?;
    let of = ds
        .network
        .countries
        .iter()
        .map(|c| mignet_core::places::country(c).map_or(c.as_str(), |k| k.name.as_str()))
        .collect::<Vec<_>>()
        .join(" and ");
    Some(std::borrow::Cow::Owned(crate::map::of_boundaries(
        of,
        geojson,
        |code| ds.place_name(code).to_owned(),
    )))
}

/// The places of the period's approved figures as a list, each with its figures: what a network
/// without boundaries has in place of a map. Named areas first, in the order first met, then named
/// sites, then places counted but not named.
fn place_list(ds: &Dataset, p: &PeriodData) -> Vec<serde_json::Value> {
    let mut named: Vec<(String, String, Vec<serde_json::Value>)> = Vec::new();
    let mut counted = Vec::new();
    let public = p.figures.iter().filter(|f| access::is_public(f));
    let figure = |f: &Figure| {
        json!({
            "id": f.id, "period": p.period.code,
            "value": numbers::format_figure(f),
            "unit": ds.indicator(f.indicator.as_str()).map(|i| i.unit.clone()).unwrap_or_default(),
        })
    };
    for f in public {
        let places = f
            .places
            .iter()
            .map(|pl| (pl.to_string(), ds.place_name(pl.as_str()).to_owned()));
        let sites = f.sites.iter().map(|s| (String::new(), s.clone()));
        for (code, name) in places.chain(sites) {
            match named.iter_mut().find(|(c, n, _)| *c == code && *n == name) {
                Some((_, _, figs)) => figs.push(figure(f)),
                None => named.push((code, name, vec![figure(f)])),
            }
        }
        if let Some(text) = ds.counted_places(f) {
            counted.push(json!({"name": text, "code": null, "figures": [figure(f)]}));
        }
    }
    named
        .into_iter()
        .map(|(code, name, figures)| {
            json!({"name": name, "code": (!code.is_empty()).then_some(code), "figures": figures})
        })
        .chain(counted)
        .collect()
}

/// The province map of a period (`/map/2022.svg`), an image of its own: the overview stays small, and
/// browsers keep the map between visits. Public figures only, so it is cached for everyone.
async fn map_svg(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let period = file.strip_suffix(".svg").ok_or_else(|| {
        WebError::NotFound(format!(
            "there is no map `{file}`; maps are named PERIOD.svg"
        ))
    })?;
    let svg = cached_bytes::<_, WebError>(&state, format!("map:{period}"), async || {
        let ds = state.public_dataset().await?;
        let p = pick_period(&ds, Some(period))?;
        let map = map_of(&ds).ok_or_else(|| {
            WebError::NotFound(
                "this network has no boundaries to draw: the overview lists its places".into(),
            )
        })?;
        Ok(map
            .svg(&per_area(&ds, p), &map_label(crate::i18n::ENGLISH, &ds, p))
            .into_bytes())
    })
    .await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=60"),
        ],
        svg,
    )
        .into_response())
}

fn pick_period<'d>(ds: &'d Dataset, asked: Option<&str>) -> Result<&'d PeriodData, WebError> {
    match asked {
        Some(code) => ds
            .period(code)
            .ok_or_else(|| WebError::NotFound(format!("period {code}"))),
        None => {
            default_period(ds).ok_or_else(|| WebError::NotFound("there are no periods yet".into()))
        }
    }
}

#[derive(Serialize)]
struct OutcomeView {
    code: String,
    number: String,
    statement: String,
    figures: Vec<crate::views::FigureView>,
}

#[derive(Serialize)]
struct PriorityView {
    code: String,
    number: usize,
    title: String,
    outcomes: Vec<OutcomeView>,
}

/// The figures of the period grouped by priority and outcome, one page of them. When the figures
/// take more than one page, only the outcomes with figures on this page are shown.
fn priorities_view(
    ds: &Dataset,
    p: &PeriodData,
    session: &Session,
    per_page: usize,
    asked: Option<usize>,
) -> Result<(Vec<PriorityView>, Pager), WebError> {
    // The outcomes in the order the page shows them, and each indicator's outcome.
    let shown: Vec<(usize, &Priority, usize, &Outcome)> = ds
        .framework
        .priorities
        .iter()
        .enumerate()
        .flat_map(|(i, pr)| {
            ds.framework
                .outcomes
                .iter()
                .filter(move |o| o.priority == pr.code)
                .enumerate()
                .map(move |(j, o)| (i, pr, j, o))
        })
        .collect();
    let place: HashMap<&str, usize> = shown
        .iter()
        .enumerate()
        .map(|(n, (_, _, _, o))| (o.code.as_str(), n))
        .collect();
    let outcome_of: HashMap<&str, usize> = ds
        .framework
        .indicators
        .iter()
        .filter_map(|i| Some((i.code.as_str(), *place.get(i.outcome.as_str())?)))
        .collect();
    let mut figures: Vec<(usize, &Figure)> = p
        .figures
        .iter()
        .filter(|f| visible(session, f))
        .filter_map(|f| Some((*outcome_of.get(f.indicator.as_str())?, f)))
        .collect();
    figures.sort_by_key(|(n, _)| *n);
    let code = p.period.code.as_str();
    let (range, pager) = paging::page(figures.len(), asked, per_page, |n| {
        format!("/?period={code}&page={n}")
    })?;
    let several = pager.pages > 1;
    let mut out: Vec<PriorityView> = Vec::new();
    let mut on_page = figures[range].iter().peekable();
    for (n, (i, pr, j, o)) in shown.iter().enumerate() {
        let mut figs = Vec::new();
        while let Some((_, f)) = on_page.next_if(|(m, _)| *m == n) {
            figs.push(figure_view(&session.lang, ds, p, f));
        }
        if several && figs.is_empty() {
            continue;
        }
        if out.last().is_none_or(|v| v.code != pr.code.as_str()) {
            out.push(PriorityView {
                code: pr.code.to_string(),
                number: i + 1,
                title: pr.title.clone(),
                outcomes: Vec::new(),
            });
        }
        out.last_mut().expect("pushed").outcomes.push(OutcomeView {
            code: o.code.to_string(),
            number: format!("{:02}", j + 1),
            statement: o.statement.clone(),
            figures: figs,
        });
    }
    if !several {
        // One page: every priority, also those without outcomes, as the framework has them.
        for (i, pr) in ds.framework.priorities.iter().enumerate() {
            if !out.iter().any(|v| v.code == pr.code.as_str()) {
                let at = out.iter().take_while(|v| v.number < i + 1).count();
                out.insert(
                    at,
                    PriorityView {
                        code: pr.code.to_string(),
                        number: i + 1,
                        title: pr.title.clone(),
                        outcomes: Vec::new(),
                    },
                );
            }
        }
    }
    Ok((out, pager))
}

async fn overview(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let key = format!(
        "/?period={}&page={}",
        q.period.as_deref().unwrap_or(""),
        q.page.unwrap_or(1)
    );
    let st = state.clone();
    let sess = session.clone();
    cached(&state, &session, key, async move || {
        let ds = st.dataset_for(&sess).await?;
        // The latest published edition is shown unless another period is asked for.
        let latest = st.app.latest_editions().await?;
        let p = match q.period.as_deref() {
            Some(_) => pick_period(&ds, q.period.as_deref())?,
            None => match latest.iter().find_map(|e| ds.period(&e.edition.period)) {
                Some(p) => p,
                None => pick_period(&ds, None)?,
            },
        };
        let edition = latest
            .iter()
            .find(|e| e.edition.period == p.period.code.as_str())
            .map(|e| crate::editions::view(&sess.lang, e, sess.actor.is_some(), ds.network.time_zone.as_deref()));
        let (priorities, pager) = priorities_view(&ds, p, &sess, st.figures_per_page, q.page)?;
        let public: Vec<&Figure> = p.figures.iter().filter(|f| access::is_public(f)).collect();
        let map = map_of(&ds).map(|m| {
            let (width, height) = m.size();
            json!({
                "src": format!("/map/{}.svg", p.period.code),
                "alt": m.alt(&sess.lang, &per_area(&ds, p), &map_label(&sess.lang, &ds, p)),
                "width": width.round() as i64,
                "height": height.round() as i64,
            })
        });
        let places = if map.is_none() { place_list(&ds, p) } else { Vec::new() };
        let word = places_word(&ds, p);
        // The chart shows the people reached, selected as the report selects its charts' bars.
        let bars: Vec<crate::views::ChartBar> = mignet_report::charts::largest_counts_of_people(&ds, p.period.code.as_str(), 8, &sess.lang)
            .into_iter()
            .map(|b| crate::views::ChartBar {
                label: format!("{} ({})", b.full_label, b.detail),
                value: b.value,
                shown: format!("{} {}", b.shown, b.unit),
                href: format!("/figures/{}/{}", p.period.code, b.figure),
            })
            .collect();
        let chart = crate::views::bar_chart(&crate::i18n::text_with(&sess.lang, "chart-people-title", &[("period", p.period.code.as_str().into())]), &bars);
        let orgs_reporting: std::collections::BTreeSet<&str> = public.iter().flat_map(|f| f.organisations.iter().map(|o| o.as_str())).collect();
        let members: Vec<_> = ds.organisations.iter().filter(|o| o.member).map(|o| json!({"code": o.code, "name": o.name, "short_name": o.short_name, "reports": orgs_reporting.contains(o.code.as_str())})).collect();
        let periods: Vec<String> = ds.periods.iter().map(|x| x.period.code.to_string()).collect();
        Page::new(&st, &sess, &format!("{} — {}", ds.network.short_name, p.period.title))
.translating(&ds)
            .with("network", &ds.network)
            .with("period", &p.period)
            .with("edition", edition)
            .with("periods", periods)
            .with("intro", p.period.introduction.as_deref().map(|t| plain_text(t, p)))
            .with("priorities", priorities)
            .with("pager", pager)
            .with("headlines", mignet_report::headlines::headlines(&ds, p.period.code.as_str(), 4))
            .with("glance", json!({"organisations": orgs_reporting.len(), "place_word": word.one, "places_heading": word.heading()}))
            .with("places", places)
            .with("members", members)
            .with("map", map)
            .with("chart", chart)
            .render("overview.html")
    })
    .await
}

async fn indicators(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    cached(&state, &session, "/indicators".into(), async || {
        let ds = state.dataset_for(&session).await?;
        // The figures of each indicator, counted in one pass over the figures.
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for f in ds.periods.iter().flat_map(|p| &p.figures).filter(|f| visible(&session, f)) {
            *counts.entry(f.indicator.as_str()).or_default() += 1;
        }
        let list: Vec<_> = ds
            .framework
            .indicators
            .iter()
            .map(|i| {
                let n = counts.get(i.code.as_str()).copied().unwrap_or(0);
                json!({"code": i.code, "outcome": i.outcome, "statement": i.statement, "unit": i.unit, "figures": n})
            })
            .collect();
        Page::new(&state, &session, &t(&session, "title-indicators"))
.translating(&ds)
            .with("indicators", list)
            .render("indicators.html")
    })
    .await
}

async fn indicator(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let key = format!("/indicators/{code}");
    cached(&state, &session, key, async || {
        indicator_page(&state, &session, &code).await
    })
    .await
}

async fn indicator_page(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Html<String>, WebError> {
    let ds = state.dataset_for(session).await?;
    let ind = ds
        .indicator(code)
        .ok_or_else(|| WebError::NotFound(format!("indicator {code}")))?;
    let outcome = ds.outcome(ind.outcome.as_str());
    let mut periods = Vec::new();
    for p in &ds.periods {
        let figs: Vec<_> = p
            .figures
            .iter()
            .filter(|f| f.indicator == ind.code && visible(session, f))
            .map(|f| figure_view(&session.lang, &ds, p, f))
            .collect();
        if !figs.is_empty() {
            periods.push(json!({"code": p.period.code, "title": p.period.title, "figures": figs}));
        }
    }
    let gcm: Vec<_> = ind
        .gcm
        .iter()
        .map(|g| json!({"n": g, "title": tags::gcm_objective(*g).map(|t| t.0)}))
        .collect();
    let sdg: Vec<_> = ind
        .sdg
        .iter()
        .map(|s| json!({"code": s, "title": tags::sdg_target(s)}))
        .collect();
    let places: Vec<_> = ind
        .places
        .iter()
        .map(|p| json!({"code": p, "name": ds.place_name(p.as_str())}))
        .collect();
    // The series against the targets, baseline to latest, computed as every output computes it.
    let has_targets = ind.baseline.is_some() || !ind.targets.is_empty();
    let series: Vec<_> = if has_targets {
        mignet_core::progress::series(&ds, ind)
            .iter()
            .map(|pt| {
                let targets: Vec<_> = pt
                    .targets
                    .iter()
                    .map(|t| {
                        json!({
                            "cumulative": t.cumulative,
                            "target_period": t.target_period,
                            "target": mignet_report::words::actual_words(&session.lang, ind.kind, &mignet_core::progress::Actual::Number { value: t.target }),
                            "percent": t.percent().map(|v| {
                                mignet_core::numbers::group(v, mignet_core::progress::PERCENT_DECIMALS)
                            }),
                            "text": mignet_report::words::progress_words(&session.lang, ind.kind, t),
                        })
                    })
                    .collect();
                json!({"period": pt.period, "actual": mignet_report::words::actual_words(&session.lang, ind.kind, &pt.actual), "targets": targets})
            })
            .collect()
    } else {
        Vec::new()
    };
    let chart = crate::views::progress_chart(&session.lang, &ds, ind);
    Page::new(
        state,
        session,
        &crate::i18n::text_with(
            &session.lang,
            "indicator-code",
            &[("code", ind.code.as_str().into())],
        ),
    )
    .translating(&ds)
    .with("indicator", ind)
    .with("outcome", outcome)
    .with("series", series)
    .with("progress_chart", chart)
    .with("periods", periods)
    .with("gcm", gcm)
    .with("sdg", sdg)
    .with("places", places)
    .render("indicator.html")
}

/// A figure with where it comes from: organisations, evidence, footnotes, review and audit trail.
#[derive(Deserialize)]
pub struct DoneQuery {
    /// What the person just did to the figure, said at the top of its page.
    done: Option<String>,
}

/// The sentence for what was just done (`?done=`); only these, never text from the address.
fn done_sentence(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "saved" => "Saved as a draft. Submit it for review when it is ready.",
        "submitted" => "Saved and submitted for review: the coordinator has been told.",
        "saved-not-submitted" => {
            "Saved, but not submitted: a joint figure is submitted once each organisation named on it has confirmed it (see below)."
        }
        "submit" => "Submitted for review: the coordinator has been told.",
        "confirm" => "Confirmed for your organisation.",
        "approve" => "Approved: the figure is now public, and its organisation has been told.",
        "return" => "Returned to its organisation, with your reason.",
        "reopen" => "Reopened as a draft: it is no longer public.",
        "endorse" => {
            "Approved for your organisation: it goes to the network's coordinator, who has been told."
        }
        _ => return None,
    })
}

pub async fn figure(
    State(state): State<AppState>,
    session: Session,
    Path((period, id)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    if session.actor.is_some() {
        let done = done_sentence(q.done.as_deref());
        return Ok(figure_html(&state, &session, &period, &id, None, done)
            .await?
            .into_response());
    }
    let key = format!("/figures/{period}/{id}");
    cached(&state, &session, key, async || {
        Ok(figure_html(&state, &session, &period, &id, None, None)
            .await?
            .1)
    })
    .await
}

/// What a person sent in a review step that lost a race with another change: shown again on the
/// figure as it is now, so that nothing typed is lost.
pub struct KeptReview {
    pub message: String,
    pub action: String,
    pub comment: Option<String>,
}

/// The figure page; with `kept`, answered 409 with the refused step's message and comment.
pub async fn figure_page(
    state: &AppState,
    session: &Session,
    period: &str,
    id: &str,
    kept: Option<KeptReview>,
) -> Result<Response, WebError> {
    Ok(figure_html(state, session, period, id, kept, None)
        .await?
        .into_response())
}

async fn figure_html(
    state: &AppState,
    session: &Session,
    period: &str,
    id: &str,
    kept: Option<KeptReview>,
    done: Option<&'static str>,
) -> Result<(axum::http::StatusCode, Html<String>), WebError> {
    let (ds, versions) = state.dataset_and_versions_for(session).await?;
    let p = ds
        .period(period)
        .ok_or_else(|| WebError::NotFound(format!("period {period}")))?;
    let f = p
        .figure(id)
        .filter(|f| visible(session, f))
        .ok_or_else(|| WebError::NotFound(format!("figure {id}")))?;
    let version = versions.get(period, id);
    let mut page = Page::new(
        state,
        session,
        &crate::i18n::text_with(&session.lang, "figure-kicker", &[("id", id.into())]),
    )
    .translating(&ds)
    .with("done", done)
    .with("figure", {
        let mut v = figure_view(&session.lang, &ds, p, f);
        v.status_at = v
            .status_at
            .map(|at| crate::views::when_in(&session.lang, &at, ds.network.time_zone.as_deref()));
        v
    })
    .with("version", version)
    .with("period_status", p.period.status)
    .with("may", Actions::default());
    let quoted: Vec<String> = p
        .lines
        .iter()
        .filter(|l| l.figures.contains(&f.id))
        .map(|l| plain_text(&l.text, p))
        .collect();
    page = page.with("quoted", quoted);
    if let Some(actor) = &session.actor {
        let subject = format!("figure {id}");
        let findings: Vec<_> = mignet_core::check(&ds, Some(period))
            .into_iter()
            .filter(|x| x.subject == subject)
            .collect();
        let audit = state
            .app
            .item_audit("figure", &format!("{period}/{id}"))
            .await?;
        let zone = ds.network.time_zone.as_deref();
        let audit: Vec<_> = audit
            .iter()
            .map(|a| crate::views::audit_view(a, zone))
            .collect();
        let reviews = state.app.reviews(period, id).await?;
        let thread: Vec<_> = state
            .app
            .thread(period, id)
            .await?
            .iter()
            .map(|t| crate::views::thread_view(t, zone))
            .collect();
        let unconfirmed = if f.is_joint() {
            state.app.unconfirmed(period, f, actor).await?
        } else {
            Vec::new()
        };
        page = page
            .with("findings", findings)
            .with("audit", audit)
            .with("reviews", reviews)
            .with("thread", thread)
            .with("may_comment", actor.may_comment(f))
            .with(
                "may_endorse",
                ds.network.agency_approval
                    && p.period.status == mignet_core::model::PeriodStatus::Open
                    && actor.may_endorse(f),
            )
            .with("unconfirmed", unconfirmed)
            .with("may", Actions::of(actor, f, p.period.status));
    }
    let status = if kept.is_some() {
        axum::http::StatusCode::CONFLICT
    } else {
        axum::http::StatusCode::OK
    };
    if let Some(k) = kept {
        page = page.with(
            "kept",
            json!({"message": k.message, "action": k.action, "comment": k.comment}),
        );
    }
    Ok((status, page.render("figure.html")?))
}

async fn sources(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let key = format!("/sources?period={}", q.period.as_deref().unwrap_or(""));
    cached(&state, &session, key, async || {
        let ds = state.dataset_for(&session).await?;
        sources_page(&state, &session, q.period.as_deref(), &ds)
    })
    .await
}

/// What a stored number is, in words, and where it is shown: a statistic's label (on the sources
/// page), a figure's indicator (its page).
fn item_label(ds: &Dataset, p: &PeriodData, id: &str) -> serde_json::Value {
    use numbers::NumberRef;
    let figure = |f: &Figure| {
        ds.indicator(f.indicator.as_str())
            .map_or(f.indicator.to_string(), |i| i.statement.clone())
    };
    match p.resolve(id) {
        Ok(NumberRef::Statistic(s)) => json!({"label": s.label, "href": format!("#{}", s.id)}),
        Ok(NumberRef::Figure(f)) | Ok(NumberRef::Part(f, _, _)) => json!({
            "label": figure(f),
            "href": format!("/figures/{}/{}", p.period.code, f.id),
        }),
        _ => json!({"label": "a number not shown to the public", "href": null}),
    }
}

fn sources_page(
    state: &AppState,
    session: &Session,
    period: Option<&str>,
    ds: &Dataset,
) -> Result<Html<String>, WebError> {
    let p = pick_period(ds, period)?;
    let stats: Vec<_> = p
        .statistics
        .iter()
        .map(|s| json!({"id": s.id, "label": s.label, "value": mignet_report::words::statistic_value(&session.lang, s), "source": s.source, "as_of": s.as_of, "footnote": s.footnote.as_ref().and_then(|n| p.footnote(n.as_str())).map(|n| plain_text(&n.text, p))}))
        .collect();
    // In words, as the brief's notes say it, with what each number was computed from.
    let derived: Vec<_> = p
        .derived
        .iter()
        .map(|d| {
            let v = p.compute(d).ok();
            let claims: Vec<_> = p
                .claims
                .iter()
                .filter(|c| c.derived == d.id)
                .map(|c| json!({"text": c.text, "agrees": v.is_some_and(|v| numbers::agrees(c.published, v)), "said": v.map(|v| mignet_report::words::claim_words(&session.lang, c.published, v))}))
                .collect();
            json!({"id": d.id, "explained": mignet_report::words::derived_words(&session.lang, p, d), "from": [item_label(ds, p, d.a.as_str()), item_label(ds, p, d.b.as_str())], "claims": claims})
        })
        .collect();
    let notes: Vec<_> = p
        .footnotes
        .iter()
        .map(|n| json!({"id": n.id, "marker": n.marker, "text": plain_text(&n.text, p)}))
        .collect();
    Page::new(
        state,
        session,
        &crate::i18n::text_with(
            &session.lang,
            "title-sources",
            &[("period", p.period.code.as_str().into())],
        ),
    )
    .with("period", &p.period)
    .with("statistics", stats)
    .with("derived", derived)
    .with("notes", notes)
    .render("sources.html")
}

async fn pledges(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    cached(&state, &session, "/pledges".into(), async || {
        let ds = state.dataset_for(&session).await?;
        pledges_page(&state, &session, &ds)
    })
    .await
}

fn pledges_page(
    state: &AppState,
    session: &Session,
    ds: &Dataset,
) -> Result<Html<String>, WebError> {
    let list: Vec<_> = ds
        .pledges
        .iter()
        .map(|pl| {
            // Follow-up: the approved figures reported under the priorities the pledge concerns.
            let follow: Vec<_> = ds
                .periods
                .iter()
                .map(|p| json!({"period": p.period.code, "figures": ds.pledge_follow_up(pl, p)}))
                .collect();
            let priorities: Vec<_> = pl.priorities.iter().filter_map(|c| ds.framework.priorities.iter().find(|p| &p.code == c)).map(|p| json!({"code": p.code, "title": p.title})).collect();
            json!({"id": pl.id, "forum": pl.forum, "text": pl.text, "wording": pl.wording, "made_by": pl.made_by.as_ref().map(|o| org_view(ds, o.as_str()).name), "priorities": priorities, "follow": follow})
        })
        .collect();
    Page::new(state, session, &t(session, "title-pledges"))
        .with("pledges", list)
        .render("pledges.html")
}

async fn groups(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    cached(&state, &session, "/groups".into(), async || {
        let ds = state.dataset_for(&session).await?;
        groups_page(&state, &session, &ds)
    })
    .await
}

fn groups_page(
    state: &AppState,
    session: &Session,
    ds: &Dataset,
) -> Result<Html<String>, WebError> {
    let names = |l: &[mignet_core::OrgCode]| {
        l.iter()
            .map(|o| org_view(ds, o.as_str()).name)
            .collect::<Vec<_>>()
    };
    let list: Vec<_> = ds
        .groups
        .iter()
        .map(|g| json!({"code": g.code, "name": g.name, "established": g.established, "status": g.status, "renamed_to": g.renamed_to, "renamed_in": g.renamed_in, "co_chairs": names(&g.co_chairs), "secretariat": names(&g.secretariat), "members": names(&g.members), "members_note": g.members_note, "description": g.description.replace("**", "")}))
        .collect();
    Page::new(state, session, &t(session, "title-groups"))
        .translating(ds)
        .with("groups", list)
        .render("groups.html")
}

/// One line of a tag page: the tag, the indicator and, when it has one, a figure with its period.
type TagLine<'a> = (&'a str, &'a Indicator, Option<(&'a PeriodData, &'a Figure)>);

/// A page of the figures by tag (GCM objective, SDG target): each tag with its indicators and their
/// figures, in the tags' order. A long list is cut into pages of figures; an indicator without
/// figures counts as one line.
#[allow(clippy::too_many_arguments)]
fn tag_page(
    ds: &Dataset,
    session: &Session,
    tags_of: impl Fn(&Indicator) -> Vec<String>,
    title_of: impl Fn(&str) -> Option<String>,
    per_page: usize,
    asked: Option<usize>,
    path: &str,
) -> Result<(Vec<serde_json::Value>, Pager), WebError> {
    let mut by_tag: BTreeMap<String, Vec<&Indicator>> = BTreeMap::new();
    for i in &ds.framework.indicators {
        for t in tags_of(i) {
            by_tag.entry(t).or_default().push(i);
        }
    }
    let mut keys: Vec<&String> = by_tag.keys().collect();
    keys.sort_by_key(|k| {
        k.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(u32::MAX))
            .collect::<Vec<_>>()
    });
    // Each indicator's figures, found in one pass over the figures.
    let mut figures_of: HashMap<&str, Vec<(&PeriodData, &Figure)>> = HashMap::new();
    for p in &ds.periods {
        for f in p.figures.iter().filter(|f| visible(session, f)) {
            figures_of
                .entry(f.indicator.as_str())
                .or_default()
                .push((p, f));
        }
    }
    // One line per figure, or per indicator without figures.
    let mut lines: Vec<TagLine> = Vec::new();
    for t in keys {
        for i in &by_tag[t] {
            match figures_of.get(i.code.as_str()) {
                Some(figs) => lines.extend(figs.iter().map(|pf| (t.as_str(), *i, Some(*pf)))),
                None => lines.push((t.as_str(), i, None)),
            }
        }
    }
    let (range, pager) =
        paging::page(lines.len(), asked, per_page, |n| format!("{path}?page={n}"))?;
    let mut groups: Vec<serde_json::Value> = Vec::new();
    let mut current: Option<(&str, Vec<serde_json::Value>)> = None;
    let mut last_indicator: Option<(&str, &str)> = None;
    let flush = |groups: &mut Vec<serde_json::Value>, c: Option<(&str, Vec<serde_json::Value>)>| {
        if let Some((t, inds)) = c {
            groups.push(json!({"tag": t, "title": title_of(t), "indicators": inds}));
        }
    };
    for (t, i, fig) in &lines[range] {
        if current.as_ref().is_none_or(|(c, _)| c != t) {
            flush(&mut groups, current.take());
            current = Some((t, Vec::new()));
            last_indicator = None;
        }
        let inds = &mut current.as_mut().expect("set").1;
        if last_indicator != Some((t, i.code.as_str())) {
            inds.push(json!({"code": i.code, "statement": i.statement, "figures": []}));
            last_indicator = Some((t, i.code.as_str()));
        }
        if let Some((p, f)) = fig {
            let view =
                serde_json::to_value(figure_view(&session.lang, ds, p, f)).unwrap_or_default();
            if let Some(list) = inds.last_mut().and_then(|v| v["figures"].as_array_mut()) {
                list.push(view);
            }
        }
    }
    flush(&mut groups, current.take());
    Ok((groups, pager))
}

async fn gcm(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let key = format!("/gcm?page={}", q.page.unwrap_or(1));
    cached(&state, &session, key, async || {
        let ds = state.dataset_for(&session).await?;
        let (groups, pager) = tag_page(
            &ds,
            &session,
            |i| i.gcm.iter().map(|g| g.to_string()).collect(),
            |t| {
                t.parse()
                    .ok()
                    .and_then(tags::gcm_objective)
                    .map(|x| x.0.to_owned())
            },
            state.figures_per_page,
            q.page,
            "/gcm",
        )?;
        Page::new(&state, &session, &t(&session, "title-gcm"))
            .translating(&ds)
            .with("scheme", "GCM objective")
            .with("groups", groups)
            .with("pager", pager)
            .render("tags.html")
    })
    .await
}

async fn sdg(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let key = format!("/sdg?page={}", q.page.unwrap_or(1));
    cached(&state, &session, key, async || {
        let ds = state.dataset_for(&session).await?;
        let (groups, pager) = tag_page(
            &ds,
            &session,
            |i| i.sdg.clone(),
            |t| tags::sdg_target(t).map(str::to_owned),
            state.figures_per_page,
            q.page,
            "/sdg",
        )?;
        Page::new(&state, &session, &t(&session, "title-sdg"))
            .translating(&ds)
            .with("scheme", "SDG target")
            .with("groups", groups)
            .with("pager", pager)
            .render("tags.html")
    })
    .await
}

/// The Highlights inside the site's page: its navigation, its security policy (the brief's styles
/// come from /static/highlights.css, none inline).
async fn highlights(
    State(state): State<AppState>,
    session: Session,
    Path(period): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = q.page.unwrap_or(1);
    let key = format!("/highlights/{period}?page={page}");
    cached(&state, &session, key, async || {
        let brief = state
            .app
            .report_page(&period, page, &session.lang)
            .await?
            .ok_or_else(|| {
                WebError::NotFound(format!("the Highlights of {period} have no page {page}"))
            })?;
        Page::new(&state, &session, &format!("Highlights {period}"))
            .with("period", &period)
            .with("brief", brief)
            .render("highlights.html")
    })
    .await
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// The site's search, from the box in every page's header (`mignet_core::search`).
async fn search(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let query = q.q.unwrap_or_default();
    let query = query.trim();
    let hits = if query.is_empty() {
        Vec::new()
    } else {
        state.app.search(session.actor.as_ref(), query).await?
    };
    let hits: Vec<_> = hits
        .iter()
        .map(|h| json!({"kind": h.kind, "title": h.title, "excerpt": h.excerpt, "href": h.href}))
        .collect();
    let title = if query.is_empty() {
        t(&session, "title-search")
    } else {
        format!("{}: {query}", t(&session, "title-search"))
    };
    Ok(Page::new(&state, &session, &title)
        .with("query", query)
        .with("hits", hits)
        .with("max", mignet_core::search::MAX_HITS)
        .render("search.html")?
        .into_response())
}
