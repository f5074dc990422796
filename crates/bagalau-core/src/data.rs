//! Reporting data: the indicator values each body reported for a year.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::hash::FieldHasher;
use crate::pack::Methodology;
use crate::registry::Registry;
use std::collections::BTreeMap;

/// One reported value. `value: None` records an explicit "no data".
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub year: i32,
    pub body: String,
    pub indicator: String,
    pub value: Option<f64>,
    pub note: Option<String>,
}

/// A year's reported values, by body then indicator (sorted, so hashing and
/// iteration are deterministic).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearData {
    pub values: BTreeMap<String, BTreeMap<String, Option<f64>>>,
    /// True when any value is generated demonstration data.
    pub demonstration: bool,
}

impl YearData {
    pub fn from_observations<'a>(
        observations: impl IntoIterator<Item = &'a Observation>,
        demonstration: bool,
    ) -> Self {
        let mut data = YearData {
            demonstration,
            ..Default::default()
        };
        for o in observations {
            data.insert(&o.body, &o.indicator, o.value);
        }
        data
    }

    pub fn insert(&mut self, body: &str, indicator: &str, value: Option<f64>) {
        self.values
            .entry(body.to_string())
            .or_default()
            .insert(indicator.to_string(), value);
    }

    pub fn get(&self, body: &str, indicator: &str) -> Option<f64> {
        self.values.get(body)?.get(indicator).copied().flatten()
    }

    /// The body's values laid out in the methodology's indicator order.
    pub fn dense(&self, m: &Methodology, body: &str) -> Vec<Option<f64>> {
        let mut out = vec![None; m.indicators.len()];
        if let Some(values) = self.values.get(body) {
            for (id, v) in values {
                if let Some(i) = m.indicator(id) {
                    out[i] = *v;
                }
            }
        }
        out
    }
}

/// The hash of everything a year's scores depend on besides the pack: the
/// bodies evaluated (with their kinds) and every reported value.
pub fn input_hash(registry: &Registry, year: i32, data: &YearData) -> String {
    let mut h = FieldHasher::default();
    h.field(year.to_string().as_bytes());
    for b in registry.evaluated_in(year) {
        h.field(b.id.as_bytes()).field(b.kind.as_str().as_bytes());
    }
    for (body, values) in &data.values {
        for (ind, v) in values {
            h.field(body.as_bytes()).field(ind.as_bytes());
            match v {
                Some(x) => h.field(&x.to_bits().to_le_bytes()),
                None => h.field(b"none"),
            };
        }
    }
    h.finish()
}

/// The longest field read: ids are short and a note a sentence or two; a
/// longer field is a broken file.
const LONGEST_FIELD: usize = 2000;

/// The documented columns of a reporting-data CSV file.
pub const CSV_COLUMNS: [&str; 5] = ["year", "body_id", "indicator_id", "value", "note"];

/// Reads a reporting-data CSV file and checks every row against the registry
/// and the methodology of its year. All problems are reported with their
/// line and column; nothing is returned unless the whole file is valid.
pub fn parse_reporting_csv<'m>(
    file: &str,
    text: &str,
    registry: &Registry,
    pack_for_year: &dyn Fn(i32) -> Option<&'m Methodology>,
) -> Result<Vec<Observation>, Diagnostics> {
    let mut errors = Vec::new();
    let at = |line: usize, column: usize, message: String| Diagnostic {
        file: file.to_string(),
        line,
        column,
        message,
    };
    let text = crate::checked::csv_text(text);
    if text.trim().is_empty() {
        return Err(Diagnostics(vec![at(1, 1, "the file is empty".into())]));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(Diagnostics(vec![at(
                1,
                1,
                format!("cannot read the header row: {e}"),
            )]));
        }
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let required = ["year", "body_id", "indicator_id", "value"];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = headers.iter().map(str::to_string).collect();
        let message = crate::checked::separator_hint(&names).unwrap_or_else(|| {
            format!(
                "missing column(s) {}; the columns are {}",
                missing.join(", "),
                CSV_COLUMNS.join(", ")
            )
        });
        return Err(Diagnostics(vec![at(1, 1, message)]));
    }
    for (i, h) in headers.iter().enumerate() {
        if headers.iter().take(i).any(|x| x == h) {
            errors.push(at(1, i + 1, format!("column `{h}` appears twice")));
        }
        if !CSV_COLUMNS.contains(&h) {
            errors.push(at(
                1,
                i + 1,
                format!(
                    "unknown column `{h}`; the columns are {}",
                    CSV_COLUMNS.join(", ")
                ),
            ));
        }
    }
    let (cy, cb, ci, cv, cn) = (
        col("year").unwrap(),
        col("body_id").unwrap(),
        col("indicator_id").unwrap(),
        col("value").unwrap(),
        col("note"),
    );
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(at(line, 1, format!("malformed row: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |c: usize| record.get(c).unwrap_or("");
        if let Some((c, e)) = record.iter().enumerate().find_map(|(c, text)| {
            crate::checked::text(text, LONGEST_FIELD)
                .err()
                .map(|e| (c, e))
        }) {
            errors.push(at(line, c + 1, e.to_string()));
            continue;
        }
        let Some(year) = field(cy)
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
        else {
            errors.push(at(
                line,
                cy + 1,
                format!("year `{}` is not a year", crate::checked::shown(field(cy))),
            ));
            continue;
        };
        let body_id = field(cb);
        let indicator_id = field(ci);
        let raw = field(cv);
        let value = if raw.is_empty() {
            None
        } else {
            match crate::checked::number(raw) {
                Ok(v) => Some(v),
                Err(crate::checked::CellError::NotANumber(shown)) => {
                    errors.push(at(
                        line,
                        cv + 1,
                        format!("value `{shown}` is not a number (leave it empty for \"no data\")"),
                    ));
                    continue;
                }
                Err(e) => {
                    errors.push(at(line, cv + 1, format!("value: {e}")));
                    continue;
                }
            }
        };
        if let Err((column, message)) = check_value(
            registry,
            pack_for_year(year),
            year,
            body_id,
            indicator_id,
            value,
        ) {
            let c = match column {
                Field::Year => cy,
                Field::Body => cb,
                Field::Indicator => ci,
                Field::Value => cv,
            };
            errors.push(at(line, c + 1, message));
            continue;
        }
        if let Some(prev) = seen.insert((year, body_id.to_string(), indicator_id.to_string()), line)
        {
            errors.push(at(
                line,
                1,
                format!(
                    "duplicate row for {year}, `{body_id}`, `{indicator_id}` (first on line {prev})"
                ),
            ));
            continue;
        }
        let note = cn.map(field).filter(|s| !s.is_empty()).map(str::to_string);
        out.push(Observation {
            year,
            body: body_id.to_string(),
            indicator: indicator_id.to_string(),
            value,
            note,
        });
    }
    if errors.is_empty() && out.is_empty() {
        errors.push(at(
            1,
            1,
            "the file has no data rows: only its header".into(),
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(errors))
    }
}

/// The origin recorded for generated demonstration values.
pub const DEMONSTRATION: &str = "demonstration";

/// The field of a reporting value that a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Year,
    Body,
    Indicator,
    Value,
}

/// Whether a value may be stored for (year, body, indicator): the year has a
/// methodology, the body is in the registry and evaluated that year, the
/// indicator belongs to the year's methodology and applies to the body's
/// kind, and the value fits the indicator's unit.
pub fn check_value(
    registry: &Registry,
    pack: Option<&Methodology>,
    year: i32,
    body_id: &str,
    indicator_id: &str,
    value: Option<f64>,
) -> Result<(), (Field, String)> {
    let Some(pack) = pack else {
        return Err((
            Field::Year,
            format!("no methodology is loaded for {year}: import the pack first"),
        ));
    };
    let Some(body) = registry.body(body_id) else {
        return Err((
            Field::Body,
            format!("unknown body `{body_id}` (not in the registry)"),
        ));
    };
    if !body.evaluated.contains(&year) {
        return Err((
            Field::Body,
            format!("body `{body_id}` is not evaluated in {year}"),
        ));
    }
    let Some(index) = pack.indicator(indicator_id) else {
        return Err((
            Field::Indicator,
            format!(
                "unknown indicator `{indicator_id}` in the {year} methodology `{}`",
                pack.id
            ),
        ));
    };
    let indicator = &pack.indicators[index];
    if !indicator.applies_to.contains(&body.kind) {
        return Err((
            Field::Indicator,
            format!(
                "indicator `{indicator_id}` does not apply to {}s like `{body_id}`",
                body.kind
            ),
        ));
    }
    if let Some(v) = value
        && let Err(why) = indicator.unit.check(v)
    {
        return Err((
            Field::Value,
            format!("value {v} for `{indicator_id}`: {why}"),
        ));
    }
    Ok(())
}

/// Checks the values already stored for a year against a methodology and a
/// registry that are about to replace the current ones.
pub fn check_stored(registry: &Registry, pack: &Methodology, data: &YearData) -> Vec<String> {
    let mut problems = Vec::new();
    for (body, values) in &data.values {
        for (indicator, value) in values {
            if let Err((_, message)) =
                check_value(registry, Some(pack), pack.year, body, indicator, *value)
            {
                problems.push(format!(
                    "stored value {} / {body} / {indicator}: {message}",
                    pack.year
                ));
            }
        }
    }
    problems
}
