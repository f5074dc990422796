//! Descriptive statistics with COINr's conventions: sample (n − 1) standard
//! deviation; skewness and excess kurtosis with the small-sample adjustment
//! (type 2 of e1071, Excel's SKEW and KURT); ranks with ties taking the best
//! position. Missing values are left out.

/// The present values of a column.
pub fn present(x: &[Option<f64>]) -> Vec<f64> {
    x.iter().flatten().copied().collect()
}

pub fn mean(x: &[f64]) -> Option<f64> {
    (!x.is_empty()).then(|| x.iter().sum::<f64>() / x.len() as f64)
}

/// Sample standard deviation (divides by n − 1).
pub fn sd(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let m = mean(x)?;
    Some((x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt())
}

pub fn median(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Some(if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    })
}

/// Adjusted Fisher-Pearson skewness:
/// G1 = g1 · √(n(n − 1)) / (n − 2), with g1 = m3 / m2^(3/2) (moments about the mean).
/// Needs 3 values and a non-zero spread.
pub fn skewness(x: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 3 {
        return None;
    }
    let m = mean(x)?;
    let m2: f64 = x.iter().map(|v| (v - m).powi(2)).sum();
    let m3: f64 = x.iter().map(|v| (v - m).powi(3)).sum();
    if m2 == 0.0 {
        return None;
    }
    let g1 = n.sqrt() * m3 / m2.powf(1.5);
    Some(g1 * (n * (n - 1.0)).sqrt() / (n - 2.0))
}

/// Adjusted excess kurtosis:
/// G2 = ((n + 1)(g2 − 3) + 6)(n − 1) / ((n − 2)(n − 3)), with g2 = n·Σd⁴ / (Σd²)².
/// Needs 4 values and a non-zero spread.
pub fn kurtosis(x: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 4 {
        return None;
    }
    let m = mean(x)?;
    let m2: f64 = x.iter().map(|v| (v - m).powi(2)).sum();
    let m4: f64 = x.iter().map(|v| (v - m).powi(4)).sum();
    if m2 == 0.0 {
        return None;
    }
    let g2 = n * m4 / (m2 * m2);
    Some(((n + 1.0) * (g2 - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)))
}

/// Ranks in ascending order (1 = smallest), ties taking the lowest rank
/// ("min"); missing values stay missing.
pub fn ranks_ascending(x: &[Option<f64>]) -> Vec<Option<f64>> {
    x.iter()
        .map(|v| v.map(|v| 1.0 + x.iter().flatten().filter(|o| **o < v).count() as f64))
        .collect()
}

/// Ranks in descending order (1 = largest, ties share the best position).
pub fn ranks_descending(x: &[Option<f64>]) -> Vec<Option<u32>> {
    x.iter()
        .map(|v| v.map(|v| 1 + x.iter().flatten().filter(|o| **o > v).count() as u32))
        .collect()
}

/// Pearson correlation over the rows where both have values.
pub fn correlation(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
        .collect();
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (ma, mb) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let cov: f64 = pairs.iter().map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = pairs.iter().map(|(x, _)| (x - ma).powi(2)).sum();
    let vb: f64 = pairs.iter().map(|(_, y)| (y - mb).powi(2)).sum();
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

/// Cronbach's alpha of k items over the rows where all items have values:
/// α = k / (k − 1) · (1 − Σ var(item) / var(Σ items)), sample variances.
pub fn cronbach_alpha(items: &[&[Option<f64>]]) -> Option<f64> {
    let k = items.len();
    if k < 2 {
        return None;
    }
    let rows = items[0].len();
    let complete: Vec<Vec<f64>> = (0..rows)
        .filter_map(|r| items.iter().map(|col| col[r]).collect::<Option<Vec<f64>>>())
        .collect();
    if complete.len() < 2 {
        return None;
    }
    let var = |v: &[f64]| sd(v).map(|s| s * s);
    let item_var: f64 = (0..k)
        .map(|i| var(&complete.iter().map(|r| r[i]).collect::<Vec<_>>()))
        .sum::<Option<f64>>()?;
    let total_var = var(&complete
        .iter()
        .map(|r| r.iter().sum())
        .collect::<Vec<f64>>())?;
    if total_var == 0.0 {
        return None;
    }
    let k = k as f64;
    Some(k / (k - 1.0) * (1.0 - item_var / total_var))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn moments_computed_by_hand() {
        // x = 1, 2, 3, 4, 10: mean 4; deviations −3, −2, −1, 0, 6.
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        close(mean(&x), 4.0);
        // Σd² = 9 + 4 + 1 + 0 + 36 = 50; sd = √(50 / 4) = √12.5
        close(sd(&x), 12.5f64.sqrt());
        // Σd³ = −27 − 8 − 1 + 0 + 216 = 180; g1 = √5 · 180 / 50^1.5;
        // G1 = g1 · √20 / 3 = (√5 · √20 · 180) / (3 · 50^1.5) = 10 · 180 / (3 · 353.5533906) = 1.697056275
        close(skewness(&x), 1800.0 / (3.0 * 50f64.powf(1.5)));
        // Σd⁴ = 81 + 16 + 1 + 0 + 1296 = 1394; g2 = 5 · 1394 / 2500 = 2.788;
        // G2 = (6 · (2.788 − 3) + 6) · 4 / (3 · 2) = (6 · −0.212 + 6) · 4 / 6 = 3.152
        close(kurtosis(&x), 3.152);
        close(median(&x), 3.0);
        close(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn ranks_with_ties_take_the_best_position() {
        let x = [Some(5.0), Some(1.0), None, Some(5.0), Some(3.0)];
        assert_eq!(
            ranks_ascending(&x),
            vec![Some(3.0), Some(1.0), None, Some(3.0), Some(2.0)]
        );
        assert_eq!(
            ranks_descending(&x),
            vec![Some(1), Some(4), None, Some(1), Some(3)]
        );
    }

    #[test]
    fn correlation_and_alpha() {
        let a = [Some(1.0), Some(2.0), Some(3.0), Some(4.0)];
        let b = [Some(2.0), Some(4.0), Some(6.0), Some(8.0)];
        let c = [Some(4.0), Some(3.0), Some(2.0), Some(1.0)];
        close(correlation(&a, &b), 1.0);
        close(correlation(&a, &c), -1.0);
        // Two identical items: var(item) = 5/3 each, var(sum) = 4 · 5/3; α = 2 · (1 − (10/3)/(20/3)) = 1.
        close(cronbach_alpha(&[&a, &a]), 1.0);
        // a and b = 2a: vars 5/3 and 20/3, sum 3a has var 15; α = 2 · (1 − (25/3)/15) = 2 · (4/9) = 8/9.
        close(cronbach_alpha(&[&a, &b]), 8.0 / 9.0);
    }
}
