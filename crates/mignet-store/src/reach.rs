//! De-duplicated reach computed inside PostgreSQL: the records are streamed in with `COPY`, checked
//! and counted with SQL, for deployments whose records live in, or outgrow the machine next to, a
//! PostgreSQL server (docs/reach.md). Same four tables, same row checks and same text as
//! `mignet_reach`'s in-process engine; this module returns plain rows and the use case
//! (`mignet_app::reach`) writes the files.
//!
//! Records live in temporary tables of one session: they are gone when the run ends, and no
//! pseudonym is ever written into the store's own tables.

use sqlx::{Connection, PgConnection, Row};
use std::io::Read;

/// The columns the tables need, in the order their checks run (the order of the in-process engine).
const USED: [&str; 7] = [
    "agency",
    "indicator",
    "date",
    "province",
    "beneficiary",
    "sex",
    "age_group",
];

/// What to accept, as `mignet_reach::Validation` and `OnError` say it.
#[derive(Debug, Clone, Default)]
pub struct DbReachOptions {
    pub agencies: Option<Vec<String>>,
    pub indicators: Option<Vec<String>>,
    /// Inclusive ISO dates (`2022-01-01`, `2022-12-31`).
    pub period: Option<(String, String)>,
    /// Leave bad rows out (true) or refuse the file (false).
    pub skip_bad: bool,
    /// How many bad rows are described.
    pub max_errors: usize,
}

/// Why a row was refused: `kind` names the check as `mignet_reach::RowErrorKind` does
/// (`column_count`, `empty`, `unknown_agency`, `unknown_indicator`, `bad_date`, `outside_period`,
/// `bad_province`, `bad_pseudonym`); `column` and `value` say what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbBadRow {
    pub line: u64,
    pub kind: &'static str,
    pub column: &'static str,
    pub value: String,
    /// For `column_count`: expected and found.
    pub fields: Option<(usize, usize)>,
}

/// The four tables as rows, sorted by their keys in byte order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbReach {
    pub records: u64,
    pub people: u64,
    pub skipped: u64,
    pub skipped_examples: Vec<DbBadRow>,
    /// (indicator, agency, services, beneficiaries)
    pub q1: Vec<(String, String, u64, u64)>,
    /// (indicator, unique, sum over agencies, overlap)
    pub q2: Vec<(String, u64, u64, u64)>,
    /// (indicator, province, sex, age group, beneficiaries)
    pub q3: Vec<(String, String, String, String, u64)>,
    /// (indicator, quarter, beneficiaries)
    pub q4: Vec<(String, String, u64)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DbReachError {
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(sqlx::Error),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("reading the records: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    BadHeader(String),
    #[error("{total} bad row(s); nothing was written")]
    BadRows { errors: Vec<DbBadRow>, total: u64 },
}

/// Bytes sent to `COPY` at a time.
const SEND: usize = 1 << 20;

/// Load the records from `input` into a temporary table of a new session on `url` and count them.
pub async fn reach_in_postgres(
    url: &str,
    input: impl Read,
    opts: &DbReachOptions,
) -> Result<DbReach, DbReachError> {
    let mut conn = PgConnection::connect(url)
        .await
        .map_err(DbReachError::Connect)?;
    let result = run(&mut conn, input, opts).await;
    let _ = conn.close().await;
    result
}

async fn run(
    conn: &mut PgConnection,
    mut input: impl Read,
    opts: &DbReachOptions,
) -> Result<DbReach, DbReachError> {
    // The header, read before anything is sent, names the staging table's columns.
    let mut pending: Vec<u8> = Vec::with_capacity(SEND * 2);
    let mut chunk = vec![0u8; SEND];
    let header = loop {
        if let Some(i) = pending.iter().position(|&b| b == b'\n') {
            let h = pending[..i].to_vec();
            pending.drain(..=i);
            break h;
        }
        let n = read_some(&mut input, &mut chunk)?;
        if n == 0 {
            let h = std::mem::take(&mut pending);
            break h;
        }
        pending.extend_from_slice(&chunk[..n]);
    };
    let names = header_names(&header)?;
    let ncols = names.len();
    // Session settings: hash aggregates and sorts in memory where they fit.
    sqlx::query("SET work_mem = '256MB'")
        .execute(&mut *conn)
        .await?;
    let cols: Vec<String> = names.iter().map(|n| quote_ident(n)).collect();
    let ddl = format!(
        "CREATE TEMP TABLE reach_records (line BIGINT NOT NULL, {}) ON COMMIT PRESERVE ROWS",
        cols.iter()
            .map(|c| format!("{c} TEXT"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    sqlx::query(sqlx::AssertSqlSafe(ddl))
        .execute(&mut *conn)
        .await?;

    // Stream the rows in, each prefixed with its line number in the file; blank lines are skipped
    // and rows with the wrong number of fields are refused here, as the in-process engine does.
    let copy_sql = format!(
        "COPY reach_records (line, {}) FROM STDIN (FORMAT csv, HEADER false, ENCODING 'UTF8')",
        cols.join(", ")
    );
    let mut copy = conn.copy_in_raw(&copy_sql).await?;
    let mut bad: Vec<DbBadRow> = Vec::new();
    let mut bad_total = 0u64;
    let mut out: Vec<u8> = Vec::with_capacity(SEND + SEND / 4);
    let mut line_no: u64 = 1;
    let mut eof = false;
    let mut failure: Option<DbReachError> = None;
    loop {
        // Take the complete lines of `pending`; at the end, the rest is the last line.
        let cut = match pending.iter().rposition(|&b| b == b'\n') {
            Some(i) if !eof => i + 1,
            _ if eof => pending.len(),
            _ => 0,
        };
        for line in pending[..cut].split_inclusive(|&b| b == b'\n') {
            line_no += 1;
            let body = trim_eol(line);
            if body.is_empty() {
                continue;
            }
            let found = body.iter().filter(|&&b| b == b',').count() + 1;
            if found != ncols {
                bad_total += 1;
                if bad.len() < opts.max_errors {
                    bad.push(DbBadRow {
                        line: line_no,
                        kind: "column_count",
                        column: "",
                        value: String::new(),
                        fields: Some((ncols, found)),
                    });
                }
                continue;
            }
            out.extend_from_slice(line_no.to_string().as_bytes());
            out.push(b',');
            out.extend_from_slice(body);
            out.push(b'\n');
        }
        pending.drain(..cut);
        if out.len() >= SEND || (eof && !out.is_empty()) {
            if let Err(e) = copy.send(std::mem::take(&mut out)).await {
                failure = Some(e.into());
                break;
            }
            out.reserve(SEND + SEND / 4);
        }
        if eof {
            break;
        }
        match read_some(&mut input, &mut chunk) {
            Ok(0) => eof = true,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
            Err(e) => {
                failure = Some(e.into());
                break;
            }
        }
    }
    if let Some(e) = failure {
        let _ = copy.abort("the records could not be read").await;
        return Err(e);
    }
    copy.finish().await?;

    // Every check of the in-process engine, in its order; the first failing one names the row.
    let mut params: Vec<String> = Vec::new();
    let mut list = |values: &Option<Vec<String>>| -> Option<usize> {
        values.as_ref().map(|v| {
            params.push(v.join("\u{1f}"));
            params.len()
        })
    };
    let agencies = list(&opts.agencies);
    let indicators = list(&opts.indicators);
    let period = opts.period.as_ref().map(|(a, b)| {
        params.push(a.clone());
        params.push(b.clone());
        (params.len() - 1, params.len())
    });
    let c = |name: &str| quote_ident(name);
    let empty = |name: &str| format!("coalesce({}, '') = ''", c(name));
    let mut checks: Vec<(String, &str, &str)> = Vec::new();
    checks.push((empty("agency"), "empty", "agency"));
    if let Some(n) = agencies {
        checks.push((
            format!(
                "NOT ({} = ANY(string_to_array(${n}, chr(31))))",
                c("agency")
            ),
            "unknown_agency",
            "agency",
        ));
    }
    checks.push((empty("indicator"), "empty", "indicator"));
    if let Some(n) = indicators {
        checks.push((
            format!(
                "NOT ({} = ANY(string_to_array(${n}, chr(31))))",
                c("indicator")
            ),
            "unknown_indicator",
            "indicator",
        ));
    }
    let date = c("date");
    checks.push((empty("date"), "empty", "date"));
    checks.push((
        format!(
            "CASE WHEN NOT ({date} ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN true \
             ELSE substr({date}, 9, 2)::int > CASE \
               WHEN substr({date}, 6, 2) = '02' THEN \
                 CASE WHEN (substr({date}, 1, 4)::int % 4 = 0 AND substr({date}, 1, 4)::int % 100 <> 0) \
                        OR substr({date}, 1, 4)::int % 400 = 0 THEN 29 ELSE 28 END \
               WHEN substr({date}, 6, 2) IN ('04', '06', '09', '11') THEN 30 ELSE 31 END END"
        ),
        "bad_date",
        "date",
    ));
    if let Some((a, b)) = period {
        checks.push((
            format!("{date} < ${a} OR {date} > ${b}"),
            "outside_period",
            "date",
        ));
    }
    checks.push((empty("province"), "empty", "province"));
    checks.push((
        format!(
            "NOT ({} ~ '^TH-(1[0-9]|2[0-7]|3[0-9]|4[0-9]|5[0-8]|6[0-7]|7[0-7]|8[0-6]|9[0-6]|S)$')",
            c("province")
        ),
        "bad_province",
        "province",
    ));
    checks.push((empty("beneficiary"), "empty", "beneficiary"));
    checks.push((
        format!("NOT ({} ~ '^[0-9a-f]{{16}}$')", c("beneficiary")),
        "bad_pseudonym",
        "beneficiary",
    ));
    checks.push((empty("sex"), "empty", "sex"));
    checks.push((empty("age_group"), "empty", "age_group"));
    let case = checks
        .iter()
        .enumerate()
        .map(|(i, (cond, _, _))| format!("WHEN {cond} THEN {i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let classify = format!(
        "CREATE TEMP TABLE reach_bad AS SELECT line, check_no FROM \
         (SELECT line, CASE {case} END AS check_no FROM reach_records) t WHERE check_no IS NOT NULL"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(classify));
    for p in &params {
        q = q.bind(p);
    }
    q.execute(&mut *conn).await?;
    let sql_bad: i64 = sqlx::query("SELECT count(*) AS n FROM reach_bad")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    bad_total += sql_bad as u64;
    if sql_bad > 0 {
        let first = format!(
            "SELECT b.line, b.check_no, {} AS agency, {} AS indicator, {date} AS date, {} AS province, \
             {} AS beneficiary FROM reach_bad b JOIN reach_records r ON r.line = b.line \
             ORDER BY b.line LIMIT {}",
            c("agency"),
            c("indicator"),
            c("province"),
            c("beneficiary"),
            opts.max_errors
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(first))
            .fetch_all(&mut *conn)
            .await?
        {
            let line: i64 = r.try_get("line")?;
            let check: i32 = r.try_get("check_no")?;
            let (_, kind, column) = checks[check as usize];
            let value: Option<String> = r.try_get(column).unwrap_or(None);
            bad.push(DbBadRow {
                line: line as u64,
                kind,
                column: USED.iter().find(|u| **u == column).copied().unwrap_or(""),
                value: value.unwrap_or_default(),
                fields: None,
            });
        }
        bad.sort_by_key(|b| b.line);
        bad.truncate(opts.max_errors);
    }
    if bad_total > 0 && !opts.skip_bad {
        return Err(DbReachError::BadRows {
            errors: bad,
            total: bad_total,
        });
    }
    if sql_bad > 0 {
        sqlx::query("DELETE FROM reach_records r USING reach_bad b WHERE r.line = b.line")
            .execute(&mut *conn)
            .await?;
    }
    count(conn, bad_total, bad).await
}

/// The four questions of the perfkit (shared/perfkit/run_peers.py), in SQL.
async fn count(
    conn: &mut PgConnection,
    skipped: u64,
    skipped_examples: Vec<DbBadRow>,
) -> Result<DbReach, DbReachError> {
    let n = |r: &sqlx::postgres::PgRow, col: &str| -> Result<u64, sqlx::Error> {
        Ok(r.try_get::<i64, _>(col)? as u64)
    };
    let s = |r: &sqlx::postgres::PgRow, col: &str| -> Result<String, sqlx::Error> {
        r.try_get::<String, _>(col)
    };
    sqlx::query(
        "CREATE TEMP TABLE reach_q1 AS SELECT indicator, agency, count(*) AS services, \
         count(DISTINCT beneficiary) AS beneficiaries FROM reach_records GROUP BY indicator, agency",
    )
    .execute(&mut *conn)
    .await?;
    let mut out = DbReach {
        skipped,
        skipped_examples,
        ..Default::default()
    };
    for r in sqlx::query("SELECT indicator, agency, services, beneficiaries FROM reach_q1")
        .fetch_all(&mut *conn)
        .await?
    {
        out.q1.push((
            s(&r, "indicator")?,
            s(&r, "agency")?,
            n(&r, "services")?,
            n(&r, "beneficiaries")?,
        ));
    }
    for r in sqlx::query(
        "SELECT u.indicator, u.unique_beneficiaries, s.sum_agency_beneficiaries::bigint AS sum_agency_beneficiaries, \
         (s.sum_agency_beneficiaries - u.unique_beneficiaries)::bigint AS overlap \
         FROM (SELECT indicator, count(DISTINCT beneficiary) AS unique_beneficiaries \
               FROM reach_records GROUP BY indicator) u \
         JOIN (SELECT indicator, sum(beneficiaries) AS sum_agency_beneficiaries \
               FROM reach_q1 GROUP BY indicator) s ON s.indicator = u.indicator",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.q2.push((
            s(&r, "indicator")?,
            n(&r, "unique_beneficiaries")?,
            n(&r, "sum_agency_beneficiaries")?,
            n(&r, "overlap")?,
        ));
    }
    for r in sqlx::query(
        "SELECT indicator, province, sex, age_group, count(DISTINCT beneficiary) AS beneficiaries \
         FROM reach_records GROUP BY indicator, province, sex, age_group",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.q3.push((
            s(&r, "indicator")?,
            s(&r, "province")?,
            s(&r, "sex")?,
            s(&r, "age_group")?,
            n(&r, "beneficiaries")?,
        ));
    }
    for r in sqlx::query(
        "SELECT indicator, (substr(date, 1, 4)::int)::text || '-Q' || ((substr(date, 6, 2)::int + 2) / 3) AS quarter, \
         count(DISTINCT beneficiary) AS beneficiaries FROM reach_records GROUP BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.q4.push((
            s(&r, "indicator")?,
            s(&r, "quarter")?,
            n(&r, "beneficiaries")?,
        ));
    }
    let r = sqlx::query(
        "SELECT count(*) AS records, count(DISTINCT beneficiary) AS people FROM reach_records",
    )
    .fetch_one(&mut *conn)
    .await?;
    // Byte order of the text keys, as the in-process engine sorts (whatever the database's collation).
    out.q1.sort_unstable();
    out.q2.sort_unstable();
    out.q3.sort_unstable();
    out.q4.sort_unstable();
    out.records = n(&r, "records")?;
    out.people = n(&r, "people")?;
    Ok(out)
}

fn read_some(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The header's column names, checked as the in-process engine checks them.
fn header_names(header: &[u8]) -> Result<Vec<String>, DbReachError> {
    let h = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let text = std::str::from_utf8(trim_eol(h))
        .map_err(|_| DbReachError::BadHeader("the header is not valid UTF-8".into()))?;
    let names: Vec<String> = text
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .collect();
    for want in USED {
        match names.iter().filter(|n| *n == want).count() {
            1 => {}
            0 => {
                return Err(DbReachError::BadHeader(format!(
                    "the header has no {want:?} column; service records need {}",
                    USED.join(",")
                )));
            }
            _ => {
                return Err(DbReachError::BadHeader(format!(
                    "the header has the {want:?} column more than once"
                )));
            }
        }
    }
    // Columns the tables do not use keep their place under neutral names, so that any header works.
    Ok(names
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            if USED.contains(&n.as_str()) {
                n
            } else {
                format!("extra_{i}")
            }
        })
        .collect())
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
