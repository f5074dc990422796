//! Same inputs, same results, byte for byte; and results that do not depend
//! on the order in which data arrived.

use bagalau_core::data::{self, YearData};
use bagalau_core::score::{self, Previous};
use bagalau_core::{Kind, pack, registry};
use bagalau_demo::{PACKS, REGISTRY, generate};

#[test]
fn scoring_is_deterministic_and_order_independent() {
    let reg = registry::load(REGISTRY.0, REGISTRY.1).unwrap();
    let m = pack::load(PACKS[3].0, PACKS[3].1).unwrap();
    let obs = generate(&m, &reg, 42);
    let forward = YearData::from_observations(&obs, false);
    let backward = YearData::from_observations(obs.iter().rev(), false);
    let a = score::assess(&m, &reg, &forward);
    let b = score::assess(&m, &reg, &backward);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert_eq!(
        a.pack_hash,
        pack::load("other name", PACKS[3].1).unwrap().content_hash
    );
    assert_eq!(a.input_hash, data::input_hash(&reg, 2022, &forward));
    // Changing one value changes the input hash.
    let mut changed = forward.clone();
    changed.insert("minfin", "bp_spent", Some(1.0));
    assert_ne!(data::input_hash(&reg, 2022, &changed), a.input_hash);
}

#[test]
fn ranks_are_within_kind_and_ties_share_the_best_rank() {
    let reg = registry::load(REGISTRY.0, REGISTRY.1).unwrap();
    let m = pack::load(PACKS[3].0, PACKS[3].1).unwrap();
    let data = YearData::from_observations(&generate(&m, &reg, 1), false);
    let mut a = score::assess(&m, &reg, &data);
    for kind in [Kind::Cgb, Kind::Leb] {
        let ranks: Vec<u32> = a
            .results
            .iter()
            .filter(|r| r.kind == kind)
            .filter_map(|r| r.rank)
            .collect();
        assert_eq!(ranks[0], 1);
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
    }
    // Force a three-way tie at the top of the CGBs: 1, 1, 1, 4.
    let top: Vec<usize> = a
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == Kind::Cgb)
        .map(|(i, _)| i)
        .take(4)
        .collect();
    for &i in &top[..3] {
        a.results[i].total = Some(99.999);
    }
    a.results[top[3]].total = Some(50.0);
    score::rank(&mut a.results);
    let ranks: Vec<Option<u32>> = a
        .results
        .iter()
        .filter(|r| r.kind == Kind::Cgb)
        .take(4)
        .map(|r| r.rank)
        .collect();
    assert_eq!(ranks, vec![Some(1), Some(1), Some(1), Some(4)]);
}

#[test]
fn a_new_body_is_compared_with_its_predecessor() {
    let reg = registry::load(REGISTRY.0, REGISTRY.1).unwrap();
    let m22 = pack::load(PACKS[3].0, PACKS[3].1).unwrap();
    let data = YearData::from_observations(&generate(&m22, &reg, 3), false);
    let a22 = score::assess(&m22, &reg, &data);
    let east = a22.result("akimat_east_kazakhstan").unwrap().total.unwrap();
    assert_eq!(
        score::previous_total(&reg, &a22, "akimat_abai"),
        Some(Previous {
            total: east,
            via: Some("akimat_east_kazakhstan".into())
        })
    );
    assert_eq!(
        score::previous_total(&reg, &a22, "akimat_east_kazakhstan"),
        Some(Previous {
            total: east,
            via: None
        })
    );
}

#[test]
fn diff_sees_units_polarities_names_and_scale() {
    let text = PACKS[3].1;
    let a = pack::load("a", text).unwrap();
    let i = text.find("id = \"ti_not\"").unwrap();
    let p = i + text[i..].find("polarity = \"lower\"").unwrap();
    let changed = format!(
        "{}polarity = \"higher\"{}",
        &text[..p],
        &text[p + "polarity = \"lower\"".len()..]
    );
    let changed = changed.replacen(
        "en = \"Achieving goals\"",
        "en = \"Achievement of goals\"",
        1,
    );
    let b = pack::load("b", &changed).unwrap();
    let changes = bagalau_core::diff::diff(&a, &b);
    let what: Vec<(&str, &str)> = changes.iter().map(|c| (c.id.as_str(), c.what)).collect();
    assert!(what.contains(&("ti_not", "polarity")), "{what:?}");
    assert!(what.contains(&("goals", "name")), "{what:?}");
    assert_eq!(bagalau_core::diff::diff(&a, &a), vec![]);
}
