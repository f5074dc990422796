//! Satisfaction-survey estimates from weighted responses: the share
//! satisfied with a Wilson score interval, the mean score with a normal
//! interval, both on Kish's effective sample size, and small-cell
//! suppression (no figure rests on fewer than k respondents).
//!
//! Formulas: weighted share p = Σwᵢyᵢ / Σwᵢ; effective sample size
//! n = (Σwᵢ)² / Σwᵢ² (Kish, *Survey Sampling*, 1965); Wilson's interval
//! (Wilson, JASA 1927) with that n: centre (p + z²/2n) / (1 + z²/n),
//! half-width z / (1 + z²/n) · √(p(1−p)/n + z²/4n²). The mean's standard
//! error is √(s²/n) with s² = Σwᵢ(xᵢ − x̄)² / Σwᵢ. z = 1.959963984540054
//! (95%).

use serde::Serialize;

/// The two-sided 95% normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Published figures rest on at least this many respondents unless the
/// methodology says otherwise.
pub const DEFAULT_MIN_RESPONDENTS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Estimate {
    Shown {
        respondents: usize,
        effective: f64,
        value: f64,
        low: f64,
        high: f64,
    },
    /// Fewer respondents than the threshold: no figure.
    Suppressed { respondents: usize },
}

/// A shown estimate's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    pub respondents: usize,
    pub effective: f64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// The figures, unless suppressed.
    pub fn figure(&self) -> Option<Figure> {
        match *self {
            Estimate::Shown {
                respondents,
                effective,
                value,
                low,
                high,
            } => Some(Figure {
                respondents,
                effective,
                value,
                low,
                high,
            }),
            Estimate::Suppressed { .. } => None,
        }
    }

    /// How many responses the estimate rests on, shown or not.
    pub fn respondents(&self) -> usize {
        match *self {
            Estimate::Shown { respondents, .. } | Estimate::Suppressed { respondents } => {
                respondents
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error("response {index}: the weight {weight} is not a positive number")]
    BadWeight { index: usize, weight: String },
}

fn check(weights: impl Iterator<Item = f64>) -> Result<(usize, f64, f64), SurveyError> {
    let (mut n, mut sum, mut squares) = (0, 0.0, 0.0);
    for (index, w) in weights.enumerate() {
        if !(w.is_finite() && w > 0.0) {
            return Err(SurveyError::BadWeight {
                index,
                weight: w.to_string(),
            });
        }
        n += 1;
        sum += w;
        squares += w * w;
    }
    Ok((n, sum, squares))
}

/// The weighted share of `(weight, satisfied)` responses that are satisfied.
pub fn share(responses: &[(f64, bool)], min_respondents: usize) -> Result<Estimate, SurveyError> {
    let (n, sum, squares) = check(responses.iter().map(|(w, _)| *w))?;
    if n < min_respondents.max(1) {
        return Ok(Estimate::Suppressed { respondents: n });
    }
    let p = responses
        .iter()
        .filter(|(_, yes)| *yes)
        .map(|(w, _)| w)
        .sum::<f64>()
        / sum;
    let eff = sum * sum / squares;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * eff)) / (1.0 + z2 / eff);
    let half = Z95 / (1.0 + z2 / eff) * (p * (1.0 - p) / eff + z2 / (4.0 * eff * eff)).sqrt();
    Ok(Estimate::Shown {
        respondents: n,
        effective: eff,
        value: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// The weighted mean of `(weight, score)` responses.
pub fn mean(responses: &[(f64, f64)], min_respondents: usize) -> Result<Estimate, SurveyError> {
    let (n, sum, squares) = check(responses.iter().map(|(w, _)| *w))?;
    if n < min_respondents.max(1) {
        return Ok(Estimate::Suppressed { respondents: n });
    }
    let m = responses.iter().map(|(w, x)| w * x).sum::<f64>() / sum;
    let var = responses
        .iter()
        .map(|(w, x)| w * (x - m).powi(2))
        .sum::<f64>()
        / sum;
    let eff = sum * sum / squares;
    let se = (var / eff).sqrt();
    Ok(Estimate::Shown {
        respondents: n,
        effective: eff,
        value: m,
        low: m - Z95 * se,
        high: m + Z95 * se,
    })
}
