//! Lineage: names by year, splits and merges, predecessors and successors,
//! lifetimes, and the errors a bad registry gets.

use bagalau_core::Lang;
use bagalau_core::registry::{self, EventKind};

const REGISTRY: &str = r#"
format = 1
title = "test"

[[source]]
id = "s"
title = "a decree"

[[body]]
id = "east"
kind = "leb"
name = { kk = "Шығыс", ru = "Восточная", en = "East Region" }
evaluated = [2021, 2022, 2023]
sources = ["s"]

[[body]]
id = "abai"
kind = "leb"
name = { kk = "Абай", ru = "Абай", en = "Abai Region" }
evaluated = [2023]

[[body]]
id = "capital"
kind = "leb"
name = { kk = "Астана", ru = "Астана", en = "Astana" }
evaluated = [2019, 2020, 2021, 2022]

[[body]]
id = "edu_sci"
kind = "cgb"
name = { kk = "БҒМ", ru = "МОН", en = "Ministry of Education and Science" }
evaluated = [2021]

[[body]]
id = "edu"
kind = "cgb"
name = { kk = "ОМ", ru = "МП", en = "Ministry of Education" }
evaluated = [2022]

[[body]]
id = "sci"
kind = "cgb"
name = { kk = "ҒЖБМ", ru = "МНВО", en = "Ministry of Science" }
evaluated = [2022]

[[event]]
date = 2019-03-23
kind = "renamed"
body = "capital"
name = { kk = "Нұр-Сұлтан", ru = "Нур-Султан", en = "Nur-Sultan" }

[[event]]
date = 2022-09-17
kind = "renamed"
body = "capital"
name = { kk = "Астана", ru = "Астана", en = "Astana" }

[[event]]
date = 2022-06-08
kind = "split"
from = ["east"]
to = ["east", "abai"]
sources = ["s"]

[[event]]
date = 2022-06-11
kind = "split"
from = ["edu_sci"]
to = ["edu", "sci"]
"#;

#[test]
fn names_follow_renames_by_year() {
    let r = registry::load("r.toml", REGISTRY).unwrap();
    assert_eq!(r.display_name("capital", 2018, Lang::En), "Astana");
    assert_eq!(r.display_name("capital", 2019, Lang::En), "Nur-Sultan");
    assert_eq!(r.display_name("capital", 2021, Lang::Ru), "Нур-Султан");
    // The name in force on 31 December.
    assert_eq!(r.display_name("capital", 2022, Lang::Kk), "Астана");
}

#[test]
fn splits_link_predecessors_and_successors() {
    let r = registry::load("r.toml", REGISTRY).unwrap();
    assert_eq!(r.predecessors("abai"), vec!["east"]);
    assert_eq!(r.successors("east"), vec!["abai"]);
    assert_eq!(r.predecessors("edu"), vec!["edu_sci"]);
    assert_eq!(r.successors("edu_sci"), vec!["edu", "sci"]);
    // East continues after the split, the ministry of education and science ceases.
    assert_eq!(r.lifetime("east").1, None);
    assert_eq!(r.lifetime("edu_sci").1.unwrap().to_string(), "2022-06-11");
    assert_eq!(r.lifetime("abai").0.unwrap().to_string(), "2022-06-08");
    assert!(r.exists_in("edu_sci", 2022) && !r.exists_in("edu_sci", 2023));
    assert!(!r.exists_in("abai", 2021) && r.exists_in("abai", 2022));
    let kinds: Vec<EventKind> = r.history("capital").iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EventKind::Renamed, EventKind::Renamed]);
    let ids: Vec<&str> = r.evaluated_in(2022).iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, vec!["capital", "east", "edu", "sci"]);
}

fn errors(text: &str) -> Vec<String> {
    registry::load("r.toml", text)
        .unwrap_err()
        .0
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_body_evaluated_outside_its_lifetime_is_an_error() {
    let bad = REGISTRY.replace("evaluated = [2023]", "evaluated = [2021, 2023]");
    assert_eq!(
        errors(&bad),
        vec!["r.toml:16:1: body `abai` is evaluated for 2021, outside its lifetime"]
    );
}

#[test]
fn events_must_name_known_bodies_and_sources() {
    let bad = REGISTRY
        .replace("to = [\"edu\", \"sci\"]", "to = [\"edu\", \"science\"]")
        .replace("sources = [\"s\"]\n\"#", "");
    assert_eq!(
        errors(&bad),
        vec!["r.toml:65:1: event of 2022-06-11: unknown body `science`"]
    );
    let bad = REGISTRY.replacen("sources = [\"s\"]", "sources = [\"nowhere\"]", 1);
    assert_eq!(
        errors(&bad),
        vec!["r.toml:9:1: body `east`: unknown source `nowhere`"]
    );
}

#[test]
fn malformed_events_and_duplicates_are_errors() {
    let bad = REGISTRY.replace("from = [\"edu_sci\"]\n", "");
    assert_eq!(
        errors(&bad),
        vec!["r.toml:65:1: a `split` event needs one body in `from` and two or more in `to`"]
    );
    let bad = REGISTRY.replace("id = \"sci\"", "id = \"edu\"");
    assert_eq!(errors(&bad)[0], "r.toml:41:6: duplicate body id `edu`");
}

#[test]
fn impossible_years_and_repeats_are_errors_not_crashes() {
    let bad = REGISTRY.replace("evaluated = [2023]", "evaluated = [2023, 300000]");
    assert_eq!(
        errors(&bad),
        vec!["r.toml:16:1: body `abai`: 300000 is not a plausible assessment year"]
    );
    let bad = REGISTRY.replace("evaluated = [2023]", "evaluated = [2023, 2023]");
    assert_eq!(
        errors(&bad),
        vec!["r.toml:16:1: body `abai`: year 2023 is listed twice in `evaluated`"]
    );
    let bad = REGISTRY.replace("to = [\"edu\", \"sci\"]", "to = [\"edu\", \"edu\"]");
    assert_eq!(
        errors(&bad),
        vec!["r.toml:65:1: event of 2022-06-11: body `edu` is named twice"]
    );
}

#[test]
fn a_source_listed_twice_and_an_empty_name_are_errors() {
    let bad = REGISTRY.replacen(
        "[[source]]\nid = \"s\"",
        "[[source]]\nid = \"s\"\ntitle = \"again\"\n\n[[source]]\nid = \"s\"",
        1,
    );
    assert_eq!(errors(&bad), vec!["r.toml:9:1: duplicate source id `s`"]);
    let bad = REGISTRY.replacen("kk = \"Шығыс\"", "kk = \" \"", 1);
    assert_eq!(
        errors(&bad),
        vec!["r.toml:9:1: body `east`: its name in kk is empty"]
    );
    // A megabyte of an id is named, not echoed whole.
    let huge = "X".repeat(1_000_000);
    let bad = REGISTRY.replacen("id = \"east\"", &format!("id = \"{huge}\""), 1);
    let shown = errors(&bad).join("\n");
    assert!(
        shown.len() < 2_000 && shown.contains("(1000000 characters)` must be lower-case"),
        "{}",
        shown.chars().take(300).collect::<String>()
    );
}
