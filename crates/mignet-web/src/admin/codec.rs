//! An item's JSON as form values, and a form read back into the item's JSON, field by field.

use super::spec::{Widget, spec};
use crate::auth::FormData;
use mignet_app::FieldError;
use mignet_core::edit::{Item, Kind};
use serde_json::{Map, Value, json};

/// Builds an item of `kind` from its fields' JSON; serde's message comes back when it does not fit.
pub(crate) fn item_from_json(kind: Kind, period: Option<&str>, v: Value) -> Result<Item, String> {
    fn de<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }
    let period = || {
        mignet_core::PeriodCode::parse(period.unwrap_or("")).map_err(|e| format!("the period {e}"))
    };
    Ok(match kind {
        Kind::Organisation => Item::Organisation(de(v)?),
        Kind::Priority => Item::Priority(de(v)?),
        Kind::Outcome => Item::Outcome(de(v)?),
        Kind::Indicator => Item::Indicator(de(v)?),
        Kind::Pledge => Item::Pledge(de(v)?),
        Kind::WorkingGroup => Item::WorkingGroup(de(v)?),
        Kind::Section => Item::Section {
            period: period()?,
            section: de(v)?,
        },
        Kind::Footnote => Item::Footnote {
            period: period()?,
            footnote: de(v)?,
        },
    })
}

fn pointer<'v>(v: &'v Value, dotted: &str) -> &'v Value {
    dotted
        .split('.')
        .fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// What each field shows: a string, or a list of chosen codes, or a flag.
pub(super) fn form_values(kind: Kind, v: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for fld in spec(kind) {
        let x = pointer(v, fld.name);
        let shown = match fld.widget {
            Widget::Flag => json!(x.as_bool().unwrap_or(false)),
            Widget::Refs(_) => x.clone(),
            Widget::Lines { .. } => json!(
                x.as_array()
                    .map(|a| a.iter().map(plain).collect::<Vec<_>>().join("\n"))
                    .unwrap_or_default()
            ),
            Widget::Pairs {
                first,
                second,
                flag,
                ..
            } => json!(
                x.as_array()
                    .map(|a| a
                        .iter()
                        .map(|p| {
                            let mut line = format!("{}: {}", plain(&p[first]), plain(&p[second]));
                            if let Some(flag) = flag
                                && p[flag] == json!(true)
                            {
                                line.push(' ');
                                line.push_str(flag);
                            }
                            line
                        })
                        .collect::<Vec<_>>()
                        .join("\n"))
                    .unwrap_or_default()
            ),
            _ => json!(plain(x)),
        };
        out.insert(fld.name.to_owned(), shown);
    }
    out
}

pub(super) fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number(s: &str, whole: bool) -> Result<Value, String> {
    let t = s.trim().replace([',', ' '], "");
    if whole {
        t.parse::<i64>()
            .map(|n| json!(n))
            .map_err(|_| format!("`{s}` is not a whole number"))
    } else {
        t.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| json!(n))
            .ok_or_else(|| format!("`{s}` is not a number"))
    }
}

/// Reads the form into the item's JSON, field by field; a field that cannot be read gets its message.
pub(super) fn read_form(kind: Kind, form: &FormData) -> (Value, Vec<FieldError>) {
    let mut obj = Map::new();
    let mut errors = Vec::new();
    for fld in spec(kind) {
        let raw = form.get(fld.name).unwrap_or("").trim().to_owned();
        let value: Result<Value, String> = match fld.widget {
            Widget::Text { optional } | Widget::Area { optional } => {
                Ok(if optional && raw.is_empty() {
                    Value::Null
                } else {
                    json!(raw)
                })
            }
            Widget::Code => mignet_core::ItemId::parse(&raw)
                .map(|_| json!(raw))
                .map_err(|e| format!("the code {e}")),
            Widget::Choice(options) => options
                .iter()
                .find(|(k, _)| *k == raw)
                .map(|(k, _)| json!(k))
                .ok_or_else(|| "choose one of the options".to_owned()),
            Widget::Flag => Ok(json!(form.get(fld.name).is_some())),
            Widget::Number { optional, whole } => {
                if raw.is_empty() {
                    if optional {
                        Ok(Value::Null)
                    } else {
                        Err("is required".into())
                    }
                } else {
                    number(&raw, whole)
                }
            }
            Widget::Ref { optional, .. } => {
                if raw.is_empty() {
                    if optional {
                        Ok(Value::Null)
                    } else {
                        Err("choose one".into())
                    }
                } else {
                    Ok(json!(raw))
                }
            }
            Widget::Refs(_) => Ok(json!(form.all(fld.name))),
            Widget::Lines { numbers } => raw
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    if numbers {
                        number(l, true)
                    } else {
                        Ok(json!(l))
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Widget::Pairs {
                first,
                second,
                number: num,
                flag,
            } => raw
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    let (a, b) = l
                        .split_once(':')
                        .ok_or_else(|| format!("`{l}` should read {first}: {second}"))?;
                    let (b, flagged) = match flag.and_then(|f| b.trim().strip_suffix(f)) {
                        Some(rest) => (rest, true),
                        None => (b, false),
                    };
                    let b = if num {
                        number(b, false)?
                    } else {
                        json!(b.trim())
                    };
                    let mut pair = json!({ first: a.trim(), second: b });
                    if let Some(f) = flag {
                        pair[f] = json!(flagged);
                    }
                    Ok(pair)
                })
                .collect::<Result<Vec<_>, String>>()
                .map(Value::Array),
        };
        match value {
            Ok(v) => set_dotted(&mut obj, fld.name, v),
            Err(message) => {
                errors.push(FieldError {
                    field: fld.name.to_owned(),
                    message,
                });
                set_dotted(&mut obj, fld.name, Value::Null);
            }
        }
    }
    // A nested value left wholly empty (an indicator with no baseline) is no value.
    for v in obj.values_mut() {
        if v.as_object()
            .is_some_and(|o| o.values().all(Value::is_null))
        {
            *v = Value::Null;
        }
    }
    (Value::Object(obj), errors)
}

fn set_dotted(obj: &mut Map<String, Value>, name: &str, v: Value) {
    match name.split_once('.') {
        None => {
            obj.insert(name.to_owned(), v);
        }
        Some((head, rest)) => {
            let inner = obj.entry(head.to_owned()).or_insert_with(|| json!({}));
            if let Some(m) = inner.as_object_mut() {
                set_dotted(m, rest, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cumulative target survives the indicator form both ways: shown with the word, read back
    /// with the flag, and an annual one without it.
    #[test]
    fn a_cumulative_target_keeps_its_flag_through_the_form() {
        let item = json!({"targets": [
            {"period": "2023", "value": 5000.0},
            {"period": "2025", "value": 20000.0, "cumulative": true}
        ]});
        let shown = form_values(Kind::Indicator, &item);
        assert_eq!(
            shown["targets"],
            json!("2023: 5000.0\n2025: 20000.0 cumulative")
        );
        let form = FormData(vec![(
            "targets".into(),
            "2023: 5,000\n2025: 20000 cumulative".into(),
        )]);
        let (read, errors) = read_form(Kind::Indicator, &form);
        assert!(!errors.iter().any(|e| e.field == "targets"), "{errors:?}");
        assert_eq!(
            read["targets"],
            json!([
                {"period": "2023", "value": 5000.0, "cumulative": false},
                {"period": "2025", "value": 20000.0, "cumulative": true}
            ])
        );
    }
}
