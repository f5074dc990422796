//! The GPI, risk areas, trend classes and the NPI on a small case computed
//! by hand (formulas in docs/performance.md).

use bagalau_core::performance::{self, SeriesLayout, Trend};
use bagalau_core::registry;

const REGISTRY: &str = r#"
format = 1
[[body]]
id = "b1"
kind = "cgb"
name = { kk = "b1", ru = "b1", en = "Body one" }
evaluated = [2023]
[[body]]
id = "b2"
kind = "cgb"
name = { kk = "b2", ru = "b2", en = "Body two" }
evaluated = [2023]
[[body]]
id = "l1"
kind = "leb"
name = { kk = "l1", ru = "l1", en = "Region" }
evaluated = [2023]
"#;

const PACK: &str = r#"
format = 1
id = "test-2023"
year = 2023
title = { kk = "t", ru = "t", en = "t" }
[[sphere]]
id = "s1"
name = { kk = "s1", ru = "s1", en = "s1" }
[[sphere]]
id = "s2"
name = { kk = "s2", ru = "s2", en = "s2" }
[[indicator]]
id = "a"
name = { kk = "a", ru = "a", en = "a" }
unit = "index"
polarity = "higher"
kind = "statistical"
sphere = "s1"
bodies = ["b1"]
target = 150
[[indicator]]
id = "c"
name = { kk = "c", ru = "c", en = "c" }
unit = "%"
polarity = "lower"
kind = "survey"
sphere = "s1"
bodies = ["b1"]
[[indicator]]
id = "d"
name = { kk = "d", ru = "d", en = "d" }
unit = "count"
polarity = "higher"
kind = "statistical"
sphere = "s2"
bodies = ["b1"]
[[indicator]]
id = "e"
name = { kk = "e", ru = "e", en = "e" }
unit = "count"
polarity = "higher"
kind = "statistical"
sphere = "s2"
bodies = ["b2"]
[[indicator]]
id = "grp"
name = { kk = "g", ru = "g", en = "g" }
unit = "tenge"
polarity = "higher"
kind = "statistical"
sphere = "s2"
applies_to = ["leb"]
[[npi]]
id = "gdp"
name = { kk = "g", ru = "g", en = "GDP per capita" }
unit = "USD"
polarity = "higher"
[[npi]]
id = "unemployment"
name = { kk = "u", ru = "u", en = "Unemployment" }
unit = "%"
polarity = "lower"
"#;

const SERIES: &str = "entity,indicator,year,value,source
b1,a,2020,100,
b1,a,2021,105,
b1,a,2022,110,
b1,a,2023,115,
b1,c,2020,10,
b1,c,2023,12,
b1,d,2021,150,
b1,d,2022,160,
b2,e,2020,50,
b2,e,2021,50,
b2,e,2022,50,
b2,e,2023,50,
KZ,gdp,2016,24000,BNS
KZ,gdp,2023,30000,BNS
OECD,gdp,2023,50000,OECD
KZ,unemployment,2016,5.0,BNS
KZ,unemployment,2023,4.8,BNS
OECD,unemployment,2023,6.0,OECD
";

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn gpi_by_hand() {
    let reg = registry::load("r", REGISTRY).unwrap();
    let pack = performance::load("p", PACK).unwrap();
    let obs = performance::parse_series("s.csv", SERIES, SeriesLayout::Tidy).unwrap();
    performance::check_series("s.csv", &obs, &pack, &reg).unwrap();
    let series = performance::Series::from_observations(&obs, false);
    let g = performance::gpi(&pack, &reg, &series);
    let b1 = g.results.iter().find(|r| r.body == "b1").unwrap();
    let s1 = &b1.spheres[0];
    let a = &s1.indicators[0];
    // a: slope 5 a year, level (100 + 105 + 110 + 115) / 4 = 107.5, change 5 / 107.5;
    // score 50 + 50 · 0.0465116 / 0.1 = 73.2558.
    close(a.slope, 5.0);
    close(a.level, 107.5);
    close(a.change, 5.0 / 107.5);
    close(a.score, 50.0 + 500.0 * 5.0 / 107.5);
    // Target 150 from 115 in 2023: (150 − 115) / 7 = 5 a year needed; 5 observed.
    assert_eq!(a.trend, Some(Trend::OnTrack));
    assert!(!a.regresses);
    // c (lower is better): 10 → 12 over 3 years: slope 2/3, level 11, change −2/33: regresses.
    let c = &s1.indicators[1];
    close(c.change, -2.0 / 33.0);
    close(c.score, 50.0 - 500.0 * 2.0 / 33.0);
    assert!(c.regresses);
    // s1 = mean of the two scores; its mean change is negative: a risk area.
    close(s1.score, (73.25581395348837 + 19.696969696969695) / 2.0);
    assert!(s1.risk);
    // d has no value in 2020 or 2023: not counted, and s2 has nothing else for b1.
    let s2 = &b1.spheres[1];
    assert_eq!(s2.indicators[0].score, None);
    assert!(
        s2.indicators[0]
            .note
            .as_deref()
            .unwrap()
            .starts_with("not counted")
    );
    assert_eq!(s2.score, None);
    close(b1.gpi, (73.25581395348837 + 19.696969696969695) / 2.0);
    // b2: a flat series scores 50 and ranks first among the CGBs; the LEB has no data.
    let b2 = g.results.iter().find(|r| r.body == "b2").unwrap();
    close(b2.gpi, 50.0);
    assert_eq!((b2.rank, b1.rank), (Some(1), Some(2)));
    let l1 = g.results.iter().find(|r| r.body == "l1").unwrap();
    assert_eq!((l1.gpi, l1.rank), (None, None));
    assert_eq!(
        b1.risk_indicators()
            .map(|i| i.indicator.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
}

#[test]
fn npi_by_hand() {
    let pack = performance::load("p", PACK).unwrap();
    let obs = performance::parse_series("s.csv", SERIES, SeriesLayout::Tidy).unwrap();
    let n = performance::npi(
        &pack,
        &performance::Series::from_observations(&obs, false),
        2023,
    );
    // GDP: 100 · 30000 / 50000 = 60 against the OECD, 100 · 30000 / 24000 = 125 against 2016.
    // Unemployment (lower is better): 100 · 6.0 / 4.8 = 125 and 100 · 5.0 / 4.8 = 104.1667.
    assert_eq!(n.indicators[0].indicator, "gdp", "the largest lag first");
    close(n.indicators[0].vs_reference, 60.0);
    close(n.indicators[0].vs_base, 125.0);
    close(n.indicators[1].vs_reference, 125.0);
    close(n.indicators[1].vs_base, 500.0 / 4.8);
    close(n.vs_reference, 92.5);
    close(n.vs_base, (125.0 + 500.0 / 4.8) / 2.0);
}

#[test]
fn sdmx_csv_reads_like_tidy() {
    let sdmx = "DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS
OECD:DF_TEST(1.0),KZ,gdp,2023,30000,USD,A
OECD:DF_TEST(1.0),OECD,gdp,2023-A,50000,USD,A
OECD:DF_TEST(1.0),KZ,gdp,2016,NaN,USD,M
";
    let obs = performance::parse_series("s.csv", sdmx, SeriesLayout::SdmxCsv).unwrap();
    assert_eq!(obs.len(), 2, "a NaN observation is no observation");
    assert_eq!(
        (obs[1].entity.as_str(), obs[1].year, obs[1].value),
        ("OECD", 2023, 50000.0)
    );
    assert_eq!(obs[0].source.as_deref(), Some("OECD:DF_TEST(1.0); USD; A"));
}

#[test]
fn bad_series_and_packs_say_where() {
    let e = performance::parse_series(
        "s.csv",
        "entity,indicator,year,value\nb1,a,20x3,1\nb1,a,2023,abc\nb1,a,2022,1\nb1,a,2022,2\n",
        SeriesLayout::Tidy,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "s.csv:2:3: `20x3` is not a year\ns.csv:3:4: value `abc` is not a finite number\ns.csv:5:1: duplicate observation of `b1`, `a`, 2022 (first on line 4)"
    );
    // A five-digit year is a typing mistake (once read as 2022, replacing
    // it), and 1e400 overflows to infinity: both named. SDMX's annual
    // periods are years.
    let e = performance::parse_series(
        "s.csv",
        "entity,indicator,year,value\nb1,a,20221,1\nb1,a,2023,1e400\nb1,a,2021-A,1\nb1,a,2020-A1,1\n",
        SeriesLayout::Tidy,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "s.csv:2:3: `20221` is not a year\ns.csv:3:4: value `1e400` is not a finite number"
    );
    // Not-a-number and infinite parameters of a pack (TOML allows `nan`
    // and `inf`) once made every GPI NaN, all ranked first.
    for (from, to, said) in [
        (
            "target = 150",
            "target = nan",
            "indicator `a`: target must be a number (not nan or inf)",
        ),
        (
            "target = 150",
            "target = 150\nweight = inf",
            "indicator `a`: weight must be a positive number",
        ),
        (
            "year = 2023\n",
            "year = 2023\nsaturation = nan\n",
            "saturation must be a positive number",
        ),
        // A target year before the pack's: every trend had its years to
        // go negative.
        (
            "year = 2023\n",
            "year = 2023\ntarget_year = 2020\n",
            "target_year 2020 is not after the pack's year 2023: targets are for years to come",
        ),
    ] {
        let bad = PACK.replacen(from, to, 1);
        let e = performance::load("p.toml", &bad).unwrap_err().to_string();
        assert!(e.contains(said), "{to}: {e}");
    }
    let reg = registry::load("r", REGISTRY).unwrap();
    let pack = performance::load("p", PACK).unwrap();
    let obs = performance::parse_series(
        "s.csv",
        "entity,indicator,year,value\nb2,a,2022,1\nxx,a,2022,1\n",
        SeriesLayout::Tidy,
    )
    .unwrap();
    let e = performance::check_series("s.csv", &obs, &pack, &reg)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "s.csv:2:2: `a` is not an indicator of `b2` in the pack `test-2023`\ns.csv:3:1: unknown entity `xx` (a body id, `KZ` or `OECD`)"
    );
    let bad = PACK.replace(
        "sphere = \"s1\"\nbodies = [\"b1\"]\ntarget",
        "sphere = \"s9\"\nbodies = [\"b1\"]\ntarget",
    );
    let e = performance::load("p.toml", &bad).unwrap_err().to_string();
    assert!(
        e.starts_with("p.toml:") && e.ends_with("indicator `a`: unknown sphere `s9`"),
        "{e}"
    );
}
