//! Properties that hold for any data: min-max scores lie within their bounds
//! and keep the order of the raw values; the results do not depend on the
//! order of the rows.

use bagalau_index::{Pipeline, build, table};
use proptest::prelude::*;

const META: &str = "iCode,iName,Level,Parent,Weight,Direction,Type\n\
a,a,1,P1,1,1,Indicator\nb,b,1,P1,2,-1,Indicator\nc,c,1,P2,1,1,Indicator\n\
P1,P1,2,Index,1,1,Aggregate\nP2,P2,2,Index,1,1,Aggregate\nIndex,Index,3,,1,1,Aggregate\n";

fn csv(rows: &[(f64, f64, f64)]) -> String {
    let mut s = String::from("uCode,a,b,c\n");
    for (i, (a, b, c)) in rows.iter().enumerate() {
        s.push_str(&format!("U{i:03},{a},{b},{c}\n"));
    }
    s
}

fn distinct_rows() -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    // Integers keep every column's range non-zero with overwhelming probability;
    // rows with a constant column are filtered out.
    prop::collection::vec((-1000i32..1000, -1000i32..1000, -1000i32..1000), 3..30)
        .prop_map(|v| {
            v.into_iter()
                .map(|(a, b, c)| (f64::from(a), f64::from(b), f64::from(c)))
                .collect::<Vec<_>>()
        })
        .prop_filter("every column varies", |rows| {
            let varies =
                |f: fn(&(f64, f64, f64)) -> f64| rows.iter().map(f).any(|x| x != f(&rows[0]));
            varies(|r| r.0) && varies(|r| r.1) && varies(|r| r.2)
        })
}

proptest! {
    #[test]
    fn minmax_is_within_bounds_and_keeps_the_order(rows in distinct_rows(), lower in -50.0f64..50.0, span in 1.0f64..200.0) {
        let fw = table::read_meta("m", META).unwrap();
        let data = table::read_data("d", &csv(&rows), &fw).unwrap();
        let p = Pipeline::parse("p", &format!("[normalise]\nmethod = \"minmax\"\nlower = {lower}\nupper = {}\n", lower + span)).unwrap();
        let b = build(&fw, &data, &p).unwrap();
        let norm = b.dataset("Normalised").unwrap();
        for (col, dir) in [("a", 1.0), ("b", -1.0), ("c", 1.0)] {
            let raw = b.dataset("Raw").unwrap().column(col).unwrap();
            let n = norm.column(col).unwrap();
            for i in 0..rows.len() {
                let v = n[i].unwrap();
                prop_assert!(v >= lower - 1e-9 && v <= lower + span + 1e-9);
                for j in 0..rows.len() {
                    if dir * raw[i].unwrap() < dir * raw[j].unwrap() {
                        prop_assert!(n[i].unwrap() < n[j].unwrap());
                    }
                }
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_row_order(rows in distinct_rows(), seed in any::<u64>()) {
        let fw = table::read_meta("m", META).unwrap();
        let mut shuffled: Vec<(usize, (f64, f64, f64))> = rows.iter().copied().enumerate().collect();
        // A deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut text = String::from("uCode,a,b,c\n");
        for (i, (a, b, c)) in &shuffled {
            text.push_str(&format!("U{i:03},{a},{b},{c}\n"));
        }
        let p = Pipeline::parse("p", "[outliers]\n[aggregate]\nmethod = \"arithmetic\"\n").unwrap();
        let one = build(&fw, &table::read_data("d", &csv(&rows), &fw).unwrap(), &p).unwrap();
        let two = build(&fw, &table::read_data("d", &text, &fw).unwrap(), &p).unwrap();
        for (k, unit) in two.units.iter().enumerate() {
            let i = one.units.iter().position(|u| u.code == unit.code).unwrap();
            prop_assert!((one.scores[i].unwrap() - two.scores[k].unwrap()).abs() < 1e-9);
            prop_assert_eq!(one.ranks[i], two.ranks[k]);
        }
    }
}
