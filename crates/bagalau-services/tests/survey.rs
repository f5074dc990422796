//! Survey estimates against values computed by hand from the published
//! formulas (see `src/survey.rs`).

use bagalau_services::survey::{Estimate, mean, share};

fn shown(e: Estimate) -> (usize, f64, f64, f64, f64) {
    let f = e.figure().unwrap_or_else(|| panic!("suppressed: {e:?}"));
    (f.respondents, f.effective, f.value, f.low, f.high)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} vs {b}");
}

#[test]
fn a_weighted_share_with_its_wilson_interval() {
    // Weights 1, 1, 2, 2; satisfied: yes, no, yes, yes.
    // p = 5/6; n = 6²/(1+1+4+4) = 3.6; Wilson at z = 1.96: [0.342970, 0.979547].
    let (n, eff, p, low, high) =
        shown(share(&[(1.0, true), (1.0, false), (2.0, true), (2.0, true)], 3).unwrap());
    assert_eq!(n, 4);
    close(eff, 3.6);
    close(p, 5.0 / 6.0);
    close(low, 0.342_970_405_005_749_8);
    close(high, 0.979_547_001_571_275_7);
}

#[test]
fn a_weighted_mean_with_its_interval() {
    // Scores 5, 2, 4, 5 with weights 1, 1, 2, 2: mean 25/6; s² = 1.138889;
    // SE = √(s²/3.6) = 0.562457; interval [3.064271, 5.269062].
    let (_, _, m, low, high) =
        shown(mean(&[(1.0, 5.0), (1.0, 2.0), (2.0, 4.0), (2.0, 5.0)], 3).unwrap());
    close(m, 25.0 / 6.0);
    close(low, 3.064_270_946_225_052_6);
    close(high, 5.269_062_387_108_281);
}

#[test]
fn fewer_respondents_than_the_threshold_give_no_figure() {
    let nine = vec![(1.0, true); 9];
    assert_eq!(
        share(&nine, 10).unwrap(),
        Estimate::Suppressed { respondents: 9 }
    );
    let ten = vec![(1.0, true); 10];
    let (_, _, p, low, high) = shown(share(&ten, 10).unwrap());
    // All satisfied: the share is 1, and Wilson's interval still has width.
    close(p, 1.0);
    assert!(low < 0.75 && low > 0.7, "{low}");
    close(high, 1.0);
}

#[test]
fn a_weight_that_is_not_positive_is_an_error() {
    let err = share(&[(1.0, true), (0.0, false)], 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "response 1: the weight 0 is not a positive number"
    );
}
