//! The input tables in COINr's layout, read from CSV text and validated.
//! Every error names the table, the row (the CSV line) and the column.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// A problem in an input table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct TableError {
    pub table: String,
    /// CSV line (1 is the header); 0 when the problem is not in one row.
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column.is_empty()) {
            (0, true) => write!(f, "{}: {}", self.table, self.message),
            (0, false) => write!(
                f,
                "{}, column {}: {}",
                self.table, self.column, self.message
            ),
            (r, true) => write!(f, "{}, row {r}: {}", self.table, self.message),
            (r, false) => write!(
                f,
                "{}, row {r}, column {}: {}",
                self.table, self.column, self.message
            ),
        }
    }
}

/// All the problems found in one table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct TableErrors(pub Vec<TableError>);

impl fmt::Display for TableErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// An indicator (level 1) or an aggregate (level 2 and up) of the framework.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub code: String,
    pub name: String,
    pub level: u32,
    /// The code of the aggregate one level up; `None` at the top.
    pub parent: Option<String>,
    /// Relative to its siblings.
    pub weight: f64,
    /// 1 (higher is better) or -1 (lower is better); aggregates have 1.
    pub direction: f64,
    pub denominator: Option<String>,
    pub target: Option<f64>,
    pub unit: Option<String>,
}

/// The validated metadata: the framework's tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    /// Level-1 nodes, in table order.
    pub indicators: Vec<Node>,
    /// Level 2 and up, ordered by level, then table order.
    pub aggregates: Vec<Node>,
    pub groups: Vec<String>,
    pub denominators: Vec<String>,
}

impl Framework {
    pub fn levels(&self) -> u32 {
        self.aggregates.iter().map(|a| a.level).max().unwrap_or(1)
    }

    pub fn node(&self, code: &str) -> Option<&Node> {
        self.indicators
            .iter()
            .chain(&self.aggregates)
            .find(|n| n.code == code)
    }

    /// The children of an aggregate, in table order.
    pub fn children(&self, code: &str) -> Vec<&Node> {
        self.indicators
            .iter()
            .chain(&self.aggregates)
            .filter(|n| n.parent.as_deref() == Some(code))
            .collect()
    }
}

fn err(table: &str, row: usize, column: &str, message: impl Into<String>) -> TableError {
    TableError {
        table: table.to_string(),
        row,
        column: column.to_string(),
        message: message.into(),
    }
}

/// A CSV row with its line number.
type Row = (usize, Vec<String>);

/// Reads CSV text into a header and rows (with their line numbers).
fn read_csv(table: &str, text: &str) -> Result<(Vec<String>, Vec<Row>), TableErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            TableErrors(vec![err(
                table,
                1,
                "",
                format!("cannot read the header: {e}"),
            )])
        })?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                rows.push((line, r.iter().map(str::to_string).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(err(table, line, "", format!("malformed row: {e}")));
            }
        }
    }
    if errors.is_empty() {
        Ok((header, rows))
    } else {
        Err(TableErrors(errors))
    }
}

fn is_missing(s: &str) -> bool {
    s.is_empty() || s.eq_ignore_ascii_case("na") || s.eq_ignore_ascii_case("nan")
}

const META_COLUMNS: [&str; 10] = [
    "iCode",
    "iName",
    "Level",
    "Parent",
    "Weight",
    "Direction",
    "Denominator",
    "Target",
    "Type",
    "Unit",
];

/// Reads and validates a metadata table (`iMeta`).
pub fn read_meta(table: &str, text: &str) -> Result<Framework, TableErrors> {
    let (header, rows) = read_csv(table, text)?;
    let mut errors = Vec::new();
    let col = |name: &str| header.iter().position(|h| h == name);
    for required in ["iCode", "Level", "Parent", "Weight", "Direction", "Type"] {
        if col(required).is_none() {
            errors.push(err(
                table,
                1,
                required,
                format!(
                    "missing column `{required}` (the columns are {})",
                    META_COLUMNS.join(", ")
                ),
            ));
        }
    }
    for h in &header {
        if !META_COLUMNS.contains(&h.as_str()) {
            errors.push(err(
                table,
                1,
                h,
                format!(
                    "unknown column `{h}` (the columns are {})",
                    META_COLUMNS.join(", ")
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(TableErrors(errors));
    }
    fn cell<'r>(header: &[String], row: &'r [String], name: &str) -> &'r str {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| row.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
    let get = |row: &Vec<String>, name: &str| cell(&header, row, name).to_string();
    let kind_of = |row: &Vec<String>| get(row, "Type");
    let mut nodes: Vec<(usize, Node)> = Vec::new();
    let mut groups = Vec::new();
    let mut denominators = Vec::new();
    let mut seen = HashSet::new();
    for (line, row) in &rows {
        let line = *line;
        let code = get(row, "iCode").to_string();
        if code.is_empty() {
            errors.push(err(table, line, "iCode", "empty iCode"));
            continue;
        }
        if !seen.insert(code.clone()) {
            errors.push(err(
                table,
                line,
                "iCode",
                format!("duplicate iCode `{code}`"),
            ));
            continue;
        }
        let kind = kind_of(row);
        match kind.as_str() {
            "Group" => {
                groups.push(code);
                continue;
            }
            "Denominator" => {
                denominators.push(code);
                continue;
            }
            "Other" => continue,
            "Indicator" | "Aggregate" => {}
            other => {
                errors.push(err(
                    table,
                    line,
                    "Type",
                    format!(
                        "unknown Type `{other}` (Indicator, Aggregate, Group, Denominator or Other)"
                    ),
                ));
                continue;
            }
        }
        let number = |errors: &mut Vec<TableError>, name: &str, required: bool| -> Option<f64> {
            let s = get(row, name);
            let s = s.as_str();
            if is_missing(s) {
                if required {
                    errors.push(err(table, line, name, format!("`{code}` needs a {name}")));
                }
                return None;
            }
            match s.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    errors.push(err(
                        table,
                        line,
                        name,
                        format!("{name} `{s}` of `{code}` is not a number"),
                    ));
                    None
                }
            }
        };
        let level = number(&mut errors, "Level", true);
        let weight = number(&mut errors, "Weight", true);
        let direction = number(&mut errors, "Direction", kind == "Indicator");
        let target = number(&mut errors, "Target", false);
        let (Some(level), Some(weight)) = (level, weight) else {
            continue;
        };
        if level.fract() != 0.0 || level < 1.0 {
            errors.push(err(
                table,
                line,
                "Level",
                format!("Level of `{code}` must be a whole number from 1"),
            ));
            continue;
        }
        if kind == "Indicator" && level != 1.0 {
            errors.push(err(
                table,
                line,
                "Level",
                format!("indicator `{code}` must be at Level 1"),
            ));
        }
        if kind == "Aggregate" && level < 2.0 {
            errors.push(err(
                table,
                line,
                "Level",
                format!("aggregate `{code}` must be at Level 2 or above"),
            ));
        }
        if weight < 0.0 {
            errors.push(err(
                table,
                line,
                "Weight",
                format!("Weight of `{code}` cannot be negative"),
            ));
        }
        let direction = direction.unwrap_or(1.0);
        if direction != 1.0 && direction != -1.0 {
            errors.push(err(
                table,
                line,
                "Direction",
                format!("Direction of `{code}` must be 1 or -1"),
            ));
        }
        let parent = Some(get(row, "Parent").to_string()).filter(|p| !is_missing(p));
        let denominator = Some(get(row, "Denominator").to_string()).filter(|p| !is_missing(p));
        let unit = Some(get(row, "Unit").to_string()).filter(|p| !p.is_empty());
        let name = Some(get(row, "iName").to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| code.clone());
        nodes.push((
            line,
            Node {
                code,
                name,
                level: level as u32,
                parent,
                weight,
                direction,
                denominator,
                target,
                unit,
            },
        ));
    }
    // The tree: parents exist, are aggregates one level up, every aggregate has children.
    let by_code: HashMap<&str, &Node> = nodes.iter().map(|(_, n)| (n.code.as_str(), n)).collect();
    let top = nodes.iter().map(|(_, n)| n.level).max().unwrap_or(1);
    for (line, n) in &nodes {
        match &n.parent {
            None if n.level < top => {
                errors.push(err(table, *line, "Parent", format!("`{}` at Level {} has no Parent (only the top level, {top}, may have none)", n.code, n.level)));
            }
            None => {}
            Some(p) if p == &n.code => errors.push(err(table, *line, "Parent", format!("`{}` is its own parent (a cycle)", n.code))),
            Some(p) => match by_code.get(p.as_str()) {
                None => errors.push(err(table, *line, "Parent", format!("unknown parent `{p}` of `{}`", n.code))),
                Some(parent) if parent.level != n.level + 1 => errors.push(err(
                    table,
                    *line,
                    "Parent",
                    format!(
                        "parent `{p}` of `{}` is at Level {}, not {} (the tree goes up one level at a time, which also rules out cycles)",
                        n.code,
                        parent.level,
                        n.level + 1
                    ),
                )),
                Some(_) => {}
            },
        }
        if let Some(d) = &n.denominator
            && !denominators.contains(d)
        {
            errors.push(err(
                table,
                *line,
                "Denominator",
                format!("`{d}` is not a row of Type Denominator"),
            ));
        }
        let children: Vec<&Node> = nodes
            .iter()
            .map(|(_, c)| c)
            .filter(|c| c.parent.as_deref() == Some(n.code.as_str()))
            .collect();
        if n.level >= 2 && children.is_empty() {
            errors.push(err(
                table,
                *line,
                "iCode",
                format!("aggregate `{}` has no children", n.code),
            ));
        } else if n.level >= 2 && children.iter().all(|c| c.weight == 0.0) {
            // Weighted means over weights summing to zero are 0/0.
            errors.push(err(
                table,
                *line,
                "Weight",
                format!(
                    "every child of `{}` has Weight 0: at least one must weigh",
                    n.code
                ),
            ));
        }
    }
    if nodes.iter().filter(|(_, n)| n.level == 1).count() == 0 && errors.is_empty() {
        errors.push(err(table, 0, "", "no row of Type Indicator"));
    }
    if !errors.is_empty() {
        return Err(TableErrors(errors));
    }
    let mut aggregates: Vec<Node> = nodes
        .iter()
        .filter(|(_, n)| n.level >= 2)
        .map(|(_, n)| n.clone())
        .collect();
    aggregates.sort_by_key(|n| n.level);
    Ok(Framework {
        indicators: nodes
            .into_iter()
            .filter(|(_, n)| n.level == 1)
            .map(|(_, n)| n)
            .collect(),
        aggregates,
        groups,
        denominators,
    })
}

/// One row of the data table: a unit at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub time: Option<i64>,
    /// Group column → value.
    pub groups: BTreeMap<String, String>,
}

/// The validated data table. Values are stored by column: `values[c][r]`
/// is column `columns[c]` of `units[r]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub units: Vec<Unit>,
    pub columns: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
}

impl Data {
    pub fn column(&self, code: &str) -> Option<&[Option<f64>]> {
        self.columns
            .iter()
            .position(|c| c == code)
            .map(|i| self.values[i].as_slice())
    }

    /// The distinct time points, ascending (empty without a Time column).
    pub fn times(&self) -> Vec<i64> {
        let mut t: Vec<i64> = self.units.iter().filter_map(|u| u.time).collect();
        t.sort_unstable();
        t.dedup();
        t
    }
}

/// Reads and validates a data table (`iData`) against the framework.
pub fn read_data(table: &str, text: &str, framework: &Framework) -> Result<Data, TableErrors> {
    let (header, rows) = read_csv(table, text)?;
    let mut errors = Vec::new();
    let col = |name: &str| header.iter().position(|h| h == name);
    let Some(code_col) = col("uCode") else {
        return Err(TableErrors(vec![err(
            table,
            1,
            "uCode",
            "missing column `uCode`",
        )]));
    };
    let name_col = col("uName");
    let time_col = col("Time");
    let numeric: Vec<String> = framework
        .denominators
        .iter()
        .cloned()
        .chain(framework.indicators.iter().map(|n| n.code.clone()))
        .collect();
    for code in &numeric {
        if col(code).is_none() {
            errors.push(err(
                table,
                1,
                code,
                format!("missing column `{code}` (named in the metadata)"),
            ));
        }
    }
    for g in &framework.groups {
        if col(g).is_none() {
            errors.push(err(
                table,
                1,
                g,
                format!("missing group column `{g}` (named in the metadata)"),
            ));
        }
    }
    for h in &header {
        let known = ["uCode", "uName", "Time"].contains(&h.as_str())
            || numeric.contains(h)
            || framework.groups.contains(h);
        if !known {
            errors.push(err(
                table,
                1,
                h,
                format!("column `{h}` is not in the metadata (add it there, with a Type)"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(TableErrors(errors));
    }
    let mut units = Vec::new();
    let mut values: Vec<Vec<Option<f64>>> = vec![Vec::new(); numeric.len()];
    let mut seen = HashMap::new();
    for (line, row) in &rows {
        let field = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let code = field(code_col).to_string();
        if code.is_empty() {
            errors.push(err(table, *line, "uCode", "empty uCode"));
            continue;
        }
        let time = match time_col.map(field) {
            None => None,
            Some(s) if is_missing(s) => None,
            Some(s) => match s.parse::<f64>() {
                Ok(t) if t.fract() == 0.0 => Some(t as i64),
                _ => {
                    errors.push(err(
                        table,
                        *line,
                        "Time",
                        format!("Time `{s}` is not a whole number"),
                    ));
                    continue;
                }
            },
        };
        if let Some(first) = seen.insert((code.clone(), time), *line) {
            errors.push(err(
                table,
                *line,
                "uCode",
                format!("unit `{code}` appears twice for the same Time (first on row {first})"),
            ));
            continue;
        }
        for (c, name) in numeric.iter().enumerate() {
            let s = field(col(name).expect("checked above"));
            let v = if is_missing(s) {
                None
            } else {
                match s.parse::<f64>() {
                    Ok(v) if v.is_finite() => Some(v),
                    _ => {
                        errors.push(err(table, *line, name, format!("`{s}` is not a number (leave the cell empty or write NA when there is no data)")));
                        None
                    }
                }
            };
            values[c].push(v);
        }
        let groups = framework
            .groups
            .iter()
            .map(|g| (g.clone(), field(col(g).expect("checked")).to_string()))
            .collect();
        let name = name_col
            .map(field)
            .filter(|s| !s.is_empty())
            .unwrap_or(&code)
            .to_string();
        units.push(Unit {
            code,
            name,
            time,
            groups,
        });
    }
    if units.is_empty() && errors.is_empty() {
        errors.push(err(table, 0, "", "no data rows"));
    }
    if errors.is_empty() {
        Ok(Data {
            units,
            columns: numeric,
            values,
        })
    } else {
        Err(TableErrors(errors))
    }
}
