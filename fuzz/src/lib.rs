//! What the fuzz targets share: the data Bagalau ships, parsed once per
//! process, so that each execution spends its time on the fuzzed input.
//! A shipped file that does not parse is a broken build, not a finding:
//! the `expect`s below can only fire before the first input is run.

use bagalau_core::pack::Methodology;
use bagalau_core::performance::{PerformancePack, Series};
use bagalau_core::registry::Registry;
use bagalau_services::calendar::Rules;
use bagalau_services::questionnaire::Questionnaire;
use bagalau_services::register::Register;
use std::sync::OnceLock;

pub fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| {
        let (file, text) = bagalau_demo::REGISTRY;
        bagalau_core::registry::load(file, text).expect("the shipped registry")
    })
}

/// The methodology packs of every shipped year.
pub fn packs() -> &'static [Methodology] {
    static P: OnceLock<Vec<Methodology>> = OnceLock::new();
    P.get_or_init(|| {
        bagalau_demo::PACKS
            .iter()
            .map(|(file, text)| bagalau_core::pack::load(file, text).expect("a shipped pack"))
            .collect()
    })
}

pub fn pack_for_year(year: i32) -> Option<&'static Methodology> {
    packs().iter().find(|m| m.year == year)
}

pub fn performance_pack() -> &'static PerformancePack {
    static P: OnceLock<PerformancePack> = OnceLock::new();
    P.get_or_init(|| {
        let (file, text) = bagalau_demo::PERFORMANCE_PACKS[0];
        bagalau_core::performance::load(file, text).expect("the shipped performance pack")
    })
}

/// The demonstration series of the shipped performance pack.
pub fn series() -> &'static Series {
    static S: OnceLock<Series> = OnceLock::new();
    S.get_or_init(|| {
        let obs = bagalau_demo::generate_series(
            performance_pack(),
            registry(),
            bagalau_demo::DEFAULT_SEED,
        );
        Series::from_observations(&obs, true)
    })
}

pub const QUESTIONNAIRE: &str =
    include_str!("../../crates/bagalau-demo/data/services/satisfaction.toml");

pub fn questionnaire() -> &'static Questionnaire {
    static Q: OnceLock<Questionnaire> = OnceLock::new();
    Q.get_or_init(|| Questionnaire::from_toml(QUESTIONNAIRE).expect("the demo questionnaire"))
}

pub fn register() -> &'static Register {
    static R: OnceLock<Register> = OnceLock::new();
    R.get_or_init(|| {
        Register::from_csv(include_str!(
            "../../crates/bagalau-demo/data/services/register.csv"
        ))
        .expect("the demo register")
    })
}

pub fn in_register(id: &str) -> bool {
    register().versions().iter().any(|s| s.id == id)
}

pub fn known_body(id: &str) -> bool {
    registry().body(id).is_some()
}

pub fn calendar() -> &'static Rules {
    static C: OnceLock<Rules> = OnceLock::new();
    C.get_or_init(Rules::kazakhstan)
}

/// Splits an input at its first NUL byte: targets that read two files
/// (a questionnaire and an export, iMeta and iData) take both from one
/// input this way, and an input without NUL is the second file alone.
pub fn split_nul(data: &[u8]) -> (Option<&[u8]>, &[u8]) {
    match data.iter().position(|b| *b == 0) {
        Some(i) => (Some(&data[..i]), &data[i + 1..]),
        None => (None, data),
    }
}

/// The demonstration reporting data of a shipped year, for scoring a
/// fuzzed pack on values its indicators may name.
pub fn demo_data(year: i32) -> Option<&'static bagalau_core::data::YearData> {
    static D: OnceLock<Vec<(i32, bagalau_core::data::YearData)>> = OnceLock::new();
    D.get_or_init(|| {
        packs()
            .iter()
            .map(|m| {
                let obs = bagalau_demo::generate(m, registry(), bagalau_demo::DEFAULT_SEED);
                let data = bagalau_core::data::YearData::from_observations(&obs, true);
                (m.year, data)
            })
            .collect()
    })
    .iter()
    .find(|(y, _)| *y == year)
    .map(|(_, d)| d)
}

/// What is done with a register once read: the services in force on a few
/// dates, the changes between them, and its CSV forms.
pub fn use_register(register: &Register) {
    let dates = [(2000, 1, 1), (2023, 12, 31), (2024, 7, 1), (2100, 1, 1)]
        .map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date"));
    for d in dates {
        let _ = register.at(d);
    }
    let _ = register.diff(dates[0], dates[2]);
    let _ = register.diff(dates[3], dates[1]);
    let _ = register.to_export_csv();
    // The store keeps a register as this canonical CSV and reads it back
    // on every load: a register accepted once must be accepted again.
    let stored = register.to_csv();
    match Register::from_csv(&stored) {
        Ok(again) => assert_eq!(
            again.to_csv(),
            stored,
            "the stored register reads back changed"
        ),
        Err(problems) => panic!("the stored register does not read back: {problems:?}\n{stored}"),
    }
}

/// The survey exports of the services crate's tests: a KoBoToolbox export
/// (semicolons, XML values, group paths) and an ODK Central one.
pub const KOBO_EXPORT: &str =
    include_str!("../../crates/bagalau-services/tests/fixtures/surveys/kobo-xml-values.csv");
pub const ODK_EXPORT: &str =
    include_str!("../../crates/bagalau-services/tests/fixtures/surveys/odk-central.csv");

/// A small framework of every kind of row COINr's `iMeta` has (indicators
/// of both directions, aggregates over two levels, a denominator, a
/// group) and data with missing values, skew and a zero: built once per
/// input that the pipeline and uncertainty targets read, so it is kept
/// small for speed.
const SMALL_META: &str = "\
iCode,iName,Level,Parent,Weight,Direction,Denominator,Type
a,A,1,P,1,1,,Indicator
b,B,1,P,2,-1,pop,Indicator
c,C,1,Q,1,1,,Indicator
d,D,1,Q,0.5,1,pop,Indicator
P,P,2,Index,1,1,,Aggregate
Q,Q,2,Index,1,1,,Aggregate
Index,Index,3,,1,1,,Aggregate
pop,Population,,,,,,Denominator
region,Region,,,,,,Group
";

const SMALL_DATA: &str = "\
uCode,uName,region,pop,a,b,c,d
U1,One,north,10,1,5,2,0
U2,Two,north,20,2,,3,1
U3,Three,south,5,3,7,,2
U4,Four,south,40,400,8,5,
U5,Five,east,1,0,9,6,4
U6,Six,east,8,5,10,7,5
";

pub fn small_index() -> &'static (bagalau_index::Framework, bagalau_index::Data) {
    static I: OnceLock<(bagalau_index::Framework, bagalau_index::Data)> = OnceLock::new();
    I.get_or_init(|| {
        let f = bagalau_index::table::read_meta("iMeta", SMALL_META).expect("the small iMeta");
        let d = bagalau_index::table::read_data("iData", SMALL_DATA, &f).expect("the small iData");
        (f, d)
    })
}

/// The ASEM index of `examples/asem`, whose data tables the seeds hold.
pub fn asem_framework() -> &'static bagalau_index::Framework {
    static F: OnceLock<bagalau_index::Framework> = OnceLock::new();
    F.get_or_init(|| {
        bagalau_index::table::read_meta("iMeta", include_str!("../../examples/asem/ASEM_iMeta.csv"))
            .expect("the ASEM iMeta")
    })
}

/// The 2023 submission template of `minfin`, filled in with its
/// demonstration values: the workbook whose parts `xlsx_parts` replaces.
pub fn minfin_template() -> &'static [u8] {
    static T: OnceLock<Vec<u8>> = OnceLock::new();
    T.get_or_init(|| {
        let m = pack_for_year(2023).expect("the 2023 pack");
        let obs = bagalau_demo::generate(m, registry(), bagalau_demo::DEFAULT_SEED);
        let current = obs
            .iter()
            .filter(|o| o.body == "minfin")
            .filter_map(|o| Some((o.indicator.clone(), o.value?)))
            .collect();
        bagalau_xlsx::template(m, registry(), "minfin", &current).expect("the minfin template")
    })
}

/// The template's parts as (name, content), in the archive's order, read
/// once: `xlsx_parts` packs them again around the fuzzed one.
pub fn template_parts() -> &'static [(String, String)] {
    static P: OnceLock<Vec<(String, String)>> = OnceLock::new();
    P.get_or_init(|| {
        let mut parts = Vec::new();
        bagalau_xlsx::testing::edit_parts(minfin_template(), |name, text| {
            parts.push((name.to_string(), text.clone()));
            text
        });
        parts
    })
}

/// The template with part `chosen` replaced by `content`, packed without
/// compression: deflating every part again took most of each execution.
pub fn template_with_part(chosen: usize, content: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, (name, text)) in template_parts().iter().enumerate() {
        out.start_file(name.as_str(), options)
            .expect("a part in memory");
        let bytes = if i == chosen {
            content
        } else {
            text.as_bytes()
        };
        out.write_all(bytes).expect("a part in memory");
    }
    out.finish().expect("an archive in memory").into_inner()
}
