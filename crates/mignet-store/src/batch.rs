//! Rows written many at a time: one `INSERT ... VALUES (...), (...), ...` for as many rows as the
//! databases' limits on bound parameters allow, instead of one statement (and one round trip) per row.
//! A large dataset's load is a few hundred statements rather than hundreds of thousands.

use sqlx::AnyConnection;

/// The most parameters one statement binds. Both databases take far more (SQLite 32766 since 3.32,
/// PostgreSQL 65535). SQLite finds a named parameter's name (`$N`) by a linear search
/// (`sqlite3_bind_parameter_name`, which sqlx calls for every parameter it binds), so numbered
/// parameters cost the square of a statement's parameters: at 32766 a 150,000-figure load spent two
/// minutes there, and at 999 still a third of its time (sampled with perf). SQLite statements
/// therefore use anonymous `?` parameters, which sqlx binds in order with no search; PostgreSQL needs
/// `$N`.
const MAX_PARAMS: usize = 999;

/// The most rows one statement holds, whatever their width: statements of a bounded size keep the
/// memory of building and parsing them small.
const MAX_ROWS: usize = 2000;

/// One value of a row, of the types both databases decode through `Any`.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
}

impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Text(Some(s.to_owned()))
    }
}
impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Text(Some(s))
    }
}
impl From<&String> for Val {
    fn from(s: &String) -> Val {
        Val::Text(Some(s.clone()))
    }
}
impl From<Option<String>> for Val {
    fn from(s: Option<String>) -> Val {
        Val::Text(s)
    }
}
impl From<&Option<String>> for Val {
    fn from(s: &Option<String>) -> Val {
        Val::Text(s.clone())
    }
}
impl From<i64> for Val {
    fn from(n: i64) -> Val {
        Val::Int(Some(n))
    }
}
impl From<Option<i64>> for Val {
    fn from(n: Option<i64>) -> Val {
        Val::Int(n)
    }
}
impl From<usize> for Val {
    fn from(n: usize) -> Val {
        Val::Int(Some(i64::try_from(n).unwrap_or(i64::MAX)))
    }
}
impl From<f64> for Val {
    fn from(x: f64) -> Val {
        Val::Real(Some(x))
    }
}
impl From<Option<f64>> for Val {
    fn from(x: Option<f64>) -> Val {
        Val::Real(x)
    }
}

/// The rows to insert into one table, in order.
pub(crate) struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Val>,
}

impl Rows {
    pub(crate) fn new(table: &'static str, columns: &'static [&'static str]) -> Rows {
        Rows {
            table,
            columns,
            values: Vec::new(),
        }
    }

    /// Adds one row; its values are in the order of the columns.
    pub(crate) fn push<const N: usize>(&mut self, row: [Val; N]) {
        assert_eq!(
            N,
            self.columns.len(),
            "a row of {} has its columns",
            self.table
        );
        self.values.extend(row);
    }

    pub(crate) fn len(&self) -> usize {
        self.values.len() / self.columns.len()
    }

    /// How many rows one statement holds.
    fn rows_per_statement(&self) -> usize {
        (MAX_PARAMS / self.columns.len()).clamp(1, MAX_ROWS)
    }

    /// Writes the rows, as few statements as the limits allow, and forgets them.
    pub(crate) async fn flush(&mut self, tx: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let width = self.columns.len();
        let values = std::mem::take(&mut self.values);
        let numbered = tx.backend_name() != "SQLite";
        for chunk in values.chunks(self.rows_per_statement() * width) {
            let sql = insert_sql(self.table, self.columns, chunk.len() / width, numbered);
            // Table and column names are this crate's constants; every value is bound.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in chunk {
                q = match v {
                    Val::Text(s) => q.bind(s.clone()),
                    Val::Int(n) => q.bind(*n),
                    Val::Real(x) => q.bind(*x),
                };
            }
            q.execute(&mut *tx).await?;
        }
        Ok(())
    }
}

/// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4), ...` for `rows` rows; with `?` for each
/// parameter where they are not `numbered`.
fn insert_sql(table: &str, columns: &[&str], rows: usize, numbered: bool) -> String {
    let width = columns.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push('$');
                sql.push_str(&(r * width + c + 1).to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_value_of_every_row_or_are_anonymous_for_sqlite() {
        assert_eq!(
            insert_sql("t", &["a", "b"], 2, true),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            insert_sql("t", &["a", "b"], 2, false),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }

    #[test]
    fn a_statement_stays_within_both_databases_parameter_limits() {
        for width in [1, 7, 14, 40] {
            let cols: Vec<&'static str> = vec!["c"; width];
            let rows = Rows::new("t", Box::leak(cols.into_boxed_slice()));
            let n = rows.rows_per_statement();
            assert!(
                n >= 1 && n * width <= 32766 && n * width <= 65535,
                "{width}: {n}"
            );
        }
    }
}
