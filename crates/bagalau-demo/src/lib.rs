//! The data Bagalau ships with (the registry of Kazakhstan's evaluated bodies
//! and the methodology packs 2019-2023, both real in structure and cited),
//! and the seeded generator of demonstration reporting data.
//!
//! The generator reads the methodology: for each criterion it produces
//! values that make sense for its rule (a plan and a fact near it, a
//! numerator below its denominator, a count of violations, checklist
//! statuses, …), driven by a latent "quality" of each body that persists
//! from year to year, so that rankings are stable but not frozen. Every value
//! is a pure function of (seed, year, body, criterion or indicator), so the
//! same seed always gives the same data, whatever the order of generation.

use bagalau_core::data::Observation;
use bagalau_core::expr::Expr;
use bagalau_core::pack::{Methodology, Polarity, Rule, Unit};
use bagalau_core::registry::Registry;
use bagalau_core::{Kind, pack};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The default seed of the demonstration data.
pub const DEFAULT_SEED: u64 = 2010;

/// The year whose assessment cycle the demo plays (and the deadline-rush
/// benchmark opens).
pub const CYCLE_YEAR: i32 = 2023;

/// The simulated calendar of the [`CYCLE_YEAR`] cycle (UTC).
pub fn cycle_calendar() -> bagalau_core::cycle::Calendar {
    use bagalau_core::cycle::Stage;
    let at = |text: &str| {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
            .expect("a valid calendar time")
    };
    bagalau_core::cycle::Calendar {
        deadlines: [
            (Stage::Submission, "2024-02-15T18:00:00"),
            (Stage::Verification, "2024-03-15T18:00:00"),
            (Stage::Preliminary, "2024-04-01T18:00:00"),
            (Stage::Objections, "2024-04-15T18:00:00"),
            (Stage::Final, "2024-05-02T18:00:00"),
            (Stage::Commission, "2024-05-31T18:00:00"),
        ]
        .into_iter()
        .map(|(s, t)| (s, at(t)))
        .collect(),
    }
}

/// The registry file shipped with Bagalau: (file name, text).
pub const REGISTRY: (&str, &str) = (
    "data/registry/kz.toml",
    include_str!("../../../data/registry/kz.toml"),
);

/// The demonstration register of public services: (file name, CSV text).
pub const SERVICE_REGISTER: (&str, &str) = (
    "crates/bagalau-demo/data/services/register.csv",
    include_str!("../data/services/register.csv"),
);

/// The methodology packs shipped with Bagalau: (file name, text), by year.
pub const PACKS: [(&str, &str); 5] = [
    (
        "data/methodology/kz-operational-2019.toml",
        include_str!("../../../data/methodology/kz-operational-2019.toml"),
    ),
    (
        "data/methodology/kz-operational-2020.toml",
        include_str!("../../../data/methodology/kz-operational-2020.toml"),
    ),
    (
        "data/methodology/kz-operational-2021.toml",
        include_str!("../../../data/methodology/kz-operational-2021.toml"),
    ),
    (
        "data/methodology/kz-operational-2022.toml",
        include_str!("../../../data/methodology/kz-operational-2022.toml"),
    ),
    (
        "data/methodology/kz-operational-2023.toml",
        include_str!("../../../data/methodology/kz-operational-2023.toml"),
    ),
];

/// The performance-assessment packs shipped with Bagalau: (file name, text).
pub const PERFORMANCE_PACKS: [(&str, &str); 1] = [(
    "data/performance/kz-performance-2023.toml",
    include_str!("../../../data/performance/kz-performance-2023.toml"),
)];

/// The years of generated performance series: from the NPI base year to the latest assessment.
pub const SERIES_YEARS: std::ops::RangeInclusive<i32> = 2016..=2023;

/// Typical values of indicators that rules alone don't describe.
pub const PROFILE: (&str, &str) = (
    "data/demo/profile.toml",
    include_str!("../../../data/demo/profile.toml"),
);

/// How to generate one indicator, from `data/demo/profile.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Typical {
    size: Option<[f64; 2]>,
    typical: Option<[f64; 2]>,
    of: Option<String>,
}

fn profile() -> BTreeMap<String, Typical> {
    toml::from_str(PROFILE.1).unwrap_or_else(|e| panic!("{}: {e}", PROFILE.0))
}

/// Share of indicator values left without data ("not counted").
const MISSING_SHARE: f64 = 0.025;

/// A deterministic random stream for one (seed, parts…) key.
fn rng(seed: u64, parts: &[&str]) -> ChaCha8Rng {
    let mut h = Sha256::new();
    h.update(seed.to_le_bytes());
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&digest);
    ChaCha8Rng::from_seed(bytes)
}

/// A standard normal draw (Box-Muller), so only `rand`'s core is needed.
fn normal(r: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = r.random::<f64>().max(1e-12);
    let u2: f64 = r.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// The body's quality in a year: a persistent part plus a yearly drift.
fn quality(seed: u64, body: &str, year: i32) -> f64 {
    let persistent = normal(&mut rng(seed, &["quality", body]));
    let drift = normal(&mut rng(seed, &["drift", body, &year.to_string()]));
    persistent + 0.2 * drift
}

fn round_to(x: f64, unit: Unit) -> f64 {
    match unit {
        Unit::Count => x.round().max(0.0),
        Unit::Percent => ((x * 10.0).round() / 10.0).clamp(0.0, 100.0),
        Unit::Share => ((x * 1000.0).round() / 1000.0).clamp(0.0, 1.0),
        Unit::Tenge => (x / 1000.0).round() * 1000.0,
        Unit::Days => (x * 10.0).round() / 10.0,
        Unit::Status => {
            if x >= 0.75 {
                1.0
            } else if x >= 0.25 {
                0.5
            } else {
                0.0
            }
        }
        Unit::Ratio | Unit::Points | Unit::Score => (x * 100.0).round() / 100.0,
    }
}

struct Generator<'a> {
    m: &'a Methodology,
    profile: &'a BTreeMap<String, Typical>,
    seed: u64,
    body: &'a str,
    year: String,
    q: f64,
    values: BTreeMap<usize, f64>,
}

impl Generator<'_> {
    fn rng(&self, key: &str) -> ChaCha8Rng {
        rng(self.seed, &["value", &self.year, self.body, key])
    }

    fn unit(&self, i: usize) -> Unit {
        self.m.indicators[i].unit
    }

    fn set(&mut self, i: usize, v: f64) {
        let unit = self.unit(i);
        self.values.entry(i).or_insert_with(|| round_to(v, unit));
    }

    /// A value from the profile; `of` targets are generated first.
    fn profiled(&mut self, i: usize) -> Option<f64> {
        if let Some(v) = self.values.get(&i) {
            return Some(*v);
        }
        let id = self.m.indicators[i].id.clone();
        let t = self.profile.get(&id)?.clone();
        let mut r = self.rng(&format!("profile:{id}"));
        let mut v = match (t.size, t.typical) {
            (Some([lo, hi]), _) => lo + (hi - lo) * r.random::<f64>(),
            (None, Some([worst, best])) => {
                let f = (0.8 + 0.12 * self.q + 0.12 * normal(&mut r)).clamp(0.0, 1.0);
                worst + (best - worst) * f
            }
            (None, None) => return None,
        };
        if let Some(whole) = t.of.as_deref().and_then(|w| self.m.indicator(w)) {
            v *= self.profiled(whole).unwrap_or(0.0);
        }
        self.set(i, v);
        self.values.get(&i).copied()
    }

    /// A value for an indicator used on its own, from its unit and polarity.
    fn generic(&mut self, i: usize) {
        let ind = &self.m.indicators[i];
        let mut r = self.rng(&ind.id);
        let good = if ind.polarity == Polarity::Higher {
            self.q
        } else {
            -self.q
        };
        let z = normal(&mut r);
        let v = match ind.unit {
            Unit::Percent => 90.0 + 3.5 * good + 3.5 * z,
            Unit::Share => 0.9 + 0.035 * good + 0.035 * z,
            Unit::Count if ind.polarity == Polarity::Lower => {
                (-(r.random::<f64>().max(1e-9)).ln() * (0.8 - 0.4 * self.q).max(0.1)).floor()
            }
            Unit::Count => 40.0 + 160.0 * r.random::<f64>(),
            Unit::Status => 0.88 + 0.08 * good + 0.2 * z,
            Unit::Score => 4.3 + 0.2 * good + 0.2 * z,
            Unit::Days => (12.0 - 3.0 * good + 3.0 * z).max(1.0),
            Unit::Tenge => 1e9 * (1.0 + 20.0 * r.random::<f64>()),
            Unit::Ratio | Unit::Points => 0.95 + 0.03 * good + 0.03 * z,
        };
        self.set(i, v);
    }

    fn generic_expr(&mut self, e: &Expr) {
        // `a / b` between two counts: a part of a whole, so a <= b.
        for (n, d) in e.divisions() {
            if self.unit(n) == Unit::Count && self.unit(d) == Unit::Count && n != d {
                let key = format!("{}/{}", self.m.indicators[n].id, self.m.indicators[d].id);
                let mut r = self.rng(&key);
                let whole = (20.0 + 400.0 * r.random::<f64>().powi(2)).round();
                let share = match self.m.indicators[n].polarity {
                    Polarity::Higher => 0.9 + 0.04 * self.q + 0.04 * normal(&mut r),
                    Polarity::Lower => 0.03 - 0.015 * self.q + 0.015 * normal(&mut r),
                }
                .clamp(0.0, 1.0);
                self.set(d, whole);
                self.set(n, whole * share);
            }
        }
        for &i in e.indicators() {
            self.generic(i);
        }
    }

    /// Achievement level around 95%, better for better bodies.
    fn achievement(&self, key: &str) -> f64 {
        let mut r = self.rng(key);
        (0.975 + 0.025 * self.q + 0.03 * normal(&mut r)).clamp(0.6, 1.1)
    }

    fn criterion(&mut self, id: &str, rule: &Rule) {
        let mut r = self.rng(id);
        match rule {
            Rule::Ratio {
                fact,
                plan,
                polarity,
                ..
            } => match (fact.as_indicator(), plan.as_indicator()) {
                (Some(f), Some(p)) => {
                    let planned = match self.unit(p) {
                        Unit::Percent => 60.0 + 35.0 * r.random::<f64>(),
                        Unit::Share => 0.6 + 0.35 * r.random::<f64>(),
                        Unit::Tenge => 1e9 * (2.0 + 200.0 * r.random::<f64>()),
                        Unit::Count => 10.0 + 90.0 * r.random::<f64>(),
                        _ => 10.0 + 90.0 * r.random::<f64>(),
                    };
                    let planned = self.values.get(&p).copied().unwrap_or(planned);
                    let a = self.achievement(id);
                    let actual = if *polarity == Polarity::Higher {
                        planned * a
                    } else {
                        planned / a
                    };
                    self.set(p, planned);
                    self.set(f, actual);
                }
                _ => {
                    self.generic_expr(fact);
                    self.generic_expr(plan);
                }
            },
            Rule::Share {
                numerator,
                denominator,
                polarity,
                ..
            } => match (numerator.as_indicator(), denominator.as_indicator()) {
                (Some(n), Some(d)) => {
                    // A denominator shared with another criterion keeps its value.
                    let total = self
                        .values
                        .get(&d)
                        .copied()
                        .unwrap_or_else(|| (30.0 + 3000.0 * r.random::<f64>().powi(2)).round());
                    let s = match polarity {
                        Polarity::Higher => 0.92 + 0.035 * self.q + 0.035 * normal(&mut r),
                        Polarity::Lower => 0.04 - 0.02 * self.q + 0.02 * normal(&mut r),
                    }
                    .clamp(0.0, 1.0);
                    self.set(d, total);
                    self.set(n, (total * s).round());
                }
                _ => {
                    self.generic_expr(numerator);
                    self.generic_expr(denominator);
                }
            },
            Rule::Thresholds { value, table } => match value.as_indicator() {
                Some(i) => {
                    let bounds: Vec<f64> = table
                        .iter()
                        .flat_map(|t| [t.min, t.max])
                        .flatten()
                        .collect();
                    if bounds.is_empty() {
                        return self.generic(i);
                    }
                    let (mut lo, mut hi) = bounds
                        .iter()
                        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
                    let span = (hi - lo).max(1.0);
                    if table.iter().any(|t| t.min.is_none()) {
                        lo -= span * 0.3;
                    }
                    if table.iter().any(|t| t.max.is_none()) {
                        hi += span * 0.3;
                    }
                    let mid = |t: &pack::ThresholdRow| match (t.min, t.max) {
                        (Some(a), Some(b)) => (a + b) / 2.0,
                        (Some(a), None) => a + span,
                        (None, Some(b)) => b - span,
                        (None, None) => 0.0,
                    };
                    let best = table
                        .iter()
                        .max_by(|a, b| a.points.total_cmp(&b.points))
                        .map(mid)
                        .unwrap_or(hi);
                    let worst = table
                        .iter()
                        .min_by(|a, b| a.points.total_cmp(&b.points))
                        .map(mid)
                        .unwrap_or(lo);
                    let t = (0.85 + 0.1 * self.q + 0.12 * normal(&mut r)).clamp(0.0, 1.0);
                    let (from, to) = if best >= worst { (lo, hi) } else { (hi, lo) };
                    self.set(i, from + (to - from) * t);
                }
                None => self.generic_expr(value),
            },
            Rule::Linear { value, worst, best } => match value.as_indicator() {
                Some(i) => {
                    let t = (0.88 + 0.1 * self.q + 0.12 * normal(&mut r)).clamp(-0.1, 1.1);
                    self.set(i, worst + (best - worst) * t);
                }
                None => self.generic_expr(value),
            },
            Rule::Checklist { items, .. } => {
                for item in items {
                    let u: f64 = r.random();
                    let full = (0.87 + 0.06 * self.q).clamp(0.5, 0.98);
                    let status = if u < full {
                        1.0
                    } else if u < full + 0.09 {
                        0.5
                    } else {
                        0.0
                    };
                    self.set(item.indicator, status);
                }
            }
            Rule::Penalty { count, .. } => match count.as_indicator() {
                Some(i) => {
                    let lambda = (0.6 - 0.35 * self.q).max(0.05);
                    let u: f64 = r.random::<f64>().max(1e-9);
                    self.set(i, (-u.ln() * lambda).floor());
                }
                None => self.generic_expr(count),
            },
            Rule::Bonus { value, .. } => match value.as_indicator() {
                Some(i) => {
                    let applies = r.random::<f64>() < (0.55 + 0.15 * self.q).clamp(0.1, 0.95);
                    let n = if applies {
                        (1.0 + 5.0 * r.random::<f64>()).floor()
                    } else {
                        0.0
                    };
                    self.set(i, n);
                }
                None => self.generic_expr(value),
            },
            Rule::Expression { points } => self.generic_expr(points),
        }
    }
}

/// Generates the demonstration reporting data of one year: every indicator
/// of every criterion that applies to each evaluated body, with a small share
/// reported as "no data".
pub fn generate(m: &Methodology, registry: &Registry, seed: u64) -> Vec<Observation> {
    let profile = profile();
    let mut out = Vec::new();
    for body in registry.evaluated_in(m.year) {
        if body.kind == Kind::Other {
            continue;
        }
        let mut g = Generator {
            m,
            profile: &profile,
            seed,
            body: &body.id,
            year: m.year.to_string(),
            q: quality(seed, &body.id, m.year),
            values: BTreeMap::new(),
        };
        let criteria: Vec<_> = m
            .criteria()
            .filter(|(_, d, c)| d.applies_to.contains(&body.kind) && c.applies(&body.id, body.kind))
            .map(|(_, _, c)| c)
            .collect();
        for c in &criteria {
            for i in c.rule.indicators() {
                g.profiled(i);
            }
        }
        for c in &criteria {
            g.criterion(&c.id, &c.rule);
        }
        let values = std::mem::take(&mut g.values);
        for (i, v) in values {
            let ind = &m.indicators[i];
            let missing = g.rng(&format!("missing:{}", ind.id)).random::<f64>() < MISSING_SHARE;
            out.push(Observation {
                year: m.year,
                body: body.id.clone(),
                indicator: ind.id.clone(),
                value: if missing { None } else { Some(v) },
                note: missing.then(|| "demonstration: reported as no data".to_string()),
            });
        }
    }
    out
}

/// A plausible range of levels for a series: anchored on the target when
/// there is one, else read from the unit.
fn typical_level(id: &str, unit: &str, polarity: Polarity, target: Option<f64>) -> (f64, f64) {
    if let Some(t) = target.filter(|t| *t > 0.0) {
        return if polarity == Polarity::Higher {
            (0.85 * t, 0.98 * t)
        } else {
            (1.05 * t, 1.5 * t)
        };
    }
    let u = unit.to_lowercase();
    if u.contains("per 100,000") || u.contains("per 100 000") || u.contains("per 100000") {
        (5.0, 300.0)
    } else if u.contains("per 1,000") || u.contains("per 1000") || u.contains("per 1 000") {
        (3.0, 25.0)
    } else if u.contains('%') || u.contains("percent") || u.contains("share") {
        (5.0, 80.0)
    } else if u.contains("score")
        || u.contains("index")
        || u.contains("points")
        || u.contains("rank")
    {
        (30.0, 80.0)
    } else if u.contains("year") {
        if id.contains("life") {
            (68.0, 74.0)
        } else {
            (5.0, 15.0)
        }
    } else if u.contains("day") {
        (3.0, 30.0)
    } else {
        (100.0, 10000.0)
    }
}

fn is_percent(unit: &str) -> bool {
    let u = unit.to_lowercase();
    u.contains('%') || u.contains("percent") || u.contains("share")
}

/// Generates demonstration series for a performance pack: every indicator
/// of every body evaluated in the pack's year, and the country and OECD
/// series of the National Progress Index, for 2016-2023. A body's indicators
/// drift with its persistent quality (the same one as in the operational
/// demo), so some improve and some regress.
pub fn generate_series(
    pack: &bagalau_core::performance::PerformancePack,
    registry: &Registry,
    seed: u64,
) -> Vec<bagalau_core::performance::Observation> {
    use bagalau_core::performance::Observation;
    let mut out = Vec::new();
    let mut series = |entity: &str,
                      indicator: &str,
                      unit: &str,
                      polarity: Polarity,
                      base: f64,
                      change: f64,
                      noise: f64| {
        let mut r = rng(seed, &["series", entity, indicator]);
        let dir = if polarity == Polarity::Higher {
            1.0
        } else {
            -1.0
        };
        for year in SERIES_YEARS {
            let t = f64::from(year - SERIES_YEARS.start());
            let mut v = base * (1.0 + dir * change).powf(t) * (1.0 + noise * normal(&mut r));
            if is_percent(unit) {
                v = v.clamp(0.0, 100.0);
            }
            out.push(Observation {
                entity: entity.to_string(),
                indicator: indicator.to_string(),
                year,
                value: (v * 100.0).round() / 100.0,
                source: Some("demonstration".into()),
                line: 0,
            });
        }
    };
    for body in registry.evaluated_in(pack.year) {
        for ind in pack
            .indicators
            .iter()
            .filter(|i| i.applies(&body.id, body.kind))
        {
            let mut r = rng(seed, &["series-shape", &body.id, &ind.id]);
            let (lo, hi) = typical_level(&ind.id, &ind.unit, ind.polarity, ind.target);
            let base = lo + (hi - lo) * r.random::<f64>();
            // Improvement rate: better bodies improve faster; about one indicator in five regresses.
            let q = quality(seed, &body.id, pack.year);
            let change = 0.015 + 0.012 * q + 0.025 * normal(&mut r);
            series(
                &body.id,
                &ind.id,
                &ind.unit,
                ind.polarity,
                base,
                change,
                0.01,
            );
        }
    }
    for n in &pack.npi {
        let mut r = rng(seed, &["npi", &n.id]);
        let (lo, hi) = typical_level(&n.id, &n.unit, n.polarity, None);
        let oecd = lo + (hi - lo) * r.random::<f64>();
        // The country starts between 70% and 105% of the OECD level (in the better direction) and converges.
        let gap = 0.7 + 0.35 * r.random::<f64>();
        let country = if n.polarity == Polarity::Higher {
            oecd * gap
        } else {
            oecd / gap
        };
        series(
            &pack.reference,
            &n.id,
            &n.unit,
            n.polarity,
            oecd,
            0.005,
            0.005,
        );
        series(
            &pack.country,
            &n.id,
            &n.unit,
            n.polarity,
            country,
            0.02 + 0.01 * normal(&mut r),
            0.01,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_loads() {
        let registry =
            bagalau_core::registry::load(REGISTRY.0, REGISTRY.1).expect("registry is valid");
        for (file, text) in PACKS {
            let m = pack::load(file, text).unwrap_or_else(|e| panic!("{e}"));
            for id in m.referenced_bodies() {
                assert!(registry.body(id).is_some(), "{file}: unknown body `{id}`");
            }
        }
    }

    #[test]
    fn the_performance_pack_loads_and_names_known_bodies() {
        let registry = bagalau_core::registry::load(REGISTRY.0, REGISTRY.1).unwrap();
        for (file, text) in PERFORMANCE_PACKS {
            let p = bagalau_core::performance::load(file, text).unwrap_or_else(|e| panic!("{e}"));
            for id in p.referenced_bodies() {
                assert!(
                    registry.exists_in(id, p.year),
                    "{file}: `{id}` is not a body of {}",
                    p.year
                );
            }
            let series = generate_series(&p, &registry, 1);
            bagalau_core::performance::check_series(file, &series, &p, &registry).unwrap();
            assert_eq!(p.npi.len(), 25);
        }
    }

    #[test]
    fn generation_is_deterministic_and_valid() {
        let registry = bagalau_core::registry::load(REGISTRY.0, REGISTRY.1).unwrap();
        let m = pack::load(PACKS[3].0, PACKS[3].1).unwrap();
        let a = generate(&m, &registry, 7);
        let b = generate(&m, &registry, 7);
        assert_eq!(a, b);
        assert_ne!(a, generate(&m, &registry, 8));
        for o in &a {
            let ind = &m.indicators[m.indicator(&o.indicator).unwrap()];
            if let Some(v) = o.value {
                ind.unit
                    .check(v)
                    .unwrap_or_else(|e| panic!("{} {}: {v}: {e}", o.body, o.indicator));
            }
        }
        assert!(
            a.iter().any(|o| o.value.is_none()),
            "some values are missing"
        );
    }
}
