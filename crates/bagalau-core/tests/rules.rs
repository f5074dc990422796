//! Data-driven tests of the scoring rules: each file in `fixtures/rules`
//! declares indicators, criteria and cases whose expected points were
//! computed by hand (the arithmetic is in each case's name or comment).

use bagalau_core::Kind;
use bagalau_core::pack;
use bagalau_core::score::{Node, score_body};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    /// Scale = block points = direction points.
    points: f64,
    /// `id:unit` or `id:unit:lower`.
    indicators: Vec<String>,
    /// `[[criterion]]` tables, in direction `d1` unless `tree` says otherwise.
    criteria: String,
    /// Blocks and directions replacing the default single block `b1` with
    /// direction `d1`.
    #[serde(default)]
    tree: Option<String>,
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default = "cgb")]
    kind: String,
    #[serde(default)]
    body: Option<String>,
    values: BTreeMap<String, f64>,
    /// Node id → expected points, or "not counted".
    expect: BTreeMap<String, toml::Value>,
}

fn cgb() -> String {
    "cgb".into()
}

fn pack_text(f: &Fixture) -> String {
    let mut s = format!(
        "format = 1\nid = \"fixture\"\nyear = 2022\nscale = {p}\ntitle = {{ kk = \"t\", ru = \"t\", en = \"t\" }}\n\
         [[band]]\nid = \"all\"\nmin = 0\nname = {{ kk = \"b\", ru = \"b\", en = \"b\" }}\n\
",
        p = f.points
    );
    match &f.tree {
        Some(tree) => s.push_str(tree),
        None => s.push_str(&format!(
            "[[block]]\nid = \"b1\"\nname = {{ kk = \"b\", ru = \"b\", en = \"b\" }}\npoints = {p}\n\
             [[direction]]\nid = \"d1\"\nblock = \"b1\"\nname = {{ kk = \"d\", ru = \"d\", en = \"d\" }}\npoints = {p}\nauthorized_body = \"ab\"\n",
            p = f.points
        )),
    }
    for ind in &f.indicators {
        let parts: Vec<&str> = ind.split(':').collect();
        let polarity = parts.get(2).copied().unwrap_or("higher");
        s.push_str(&format!(
            "[[indicator]]\nid = \"{}\"\nname = {{ kk = \"i\", ru = \"i\", en = \"i\" }}\nunit = \"{}\"\npolarity = \"{polarity}\"\n",
            parts[0], parts[1]
        ));
    }
    s.push_str(&f.criteria);
    s
}

fn find<'a>(n: &'a Node, id: &str) -> Option<&'a Node> {
    if n.id == id {
        return Some(n);
    }
    n.children.iter().find_map(|c| find(c, id))
}

#[test]
fn rule_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 8, "every rule kind has a fixture");
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let fixture: Fixture = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let m = pack::load(&name, &pack_text(&fixture))
            .unwrap_or_else(|e| panic!("{name}: the fixture's pack is invalid:\n{e}"));
        for case in &fixture.cases {
            let mut values = vec![None; m.indicators.len()];
            for (id, v) in &case.values {
                let i = m
                    .indicator(id)
                    .unwrap_or_else(|| panic!("{name} / {}: unknown indicator {id}", case.name));
                values[i] = Some(*v);
            }
            let kind = Kind::parse(&case.kind).unwrap();
            let result = score_body(&m, case.body.as_deref().unwrap_or("body"), kind, &values);
            for (id, want) in &case.expect {
                let got = if id == "total" {
                    Some(&result.tree)
                } else {
                    find(&result.tree, id)
                };
                let got_points = got.map(|n| n.points);
                let ok = match (want, got_points) {
                    (toml::Value::String(s), Some(None)) => s == "not counted",
                    (toml::Value::String(s), None) => s == "absent",
                    (toml::Value::Float(x), Some(Some(p))) => (p - x).abs() < 1e-9,
                    (toml::Value::Integer(x), Some(Some(p))) => (p - *x as f64).abs() < 1e-9,
                    _ => false,
                };
                checked += 1;
                if !ok {
                    failures.push(format!(
                        "{name} / {}: `{id}` expected {want}, got {got_points:?}",
                        case.name
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} expectations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
