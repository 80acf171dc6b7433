//! Experiments on the Mali model, above the model and below the front ends:
//! scenario variants ([`model`]), the observed series and the model's
//! counterparts of them ([`observed`]), ensembles ([`ensemble`]), approximate
//! Bayesian computation ([`abc`]) and its posterior ([`posterior`]), and the
//! validation scorecard and forecast tables ([`validate`]).
//!
//! Nothing here changes a model: every experiment is a set of scenario
//! overrides, seeds and dates; results are gathered in seed order, so they do
//! not depend on the number of threads.

pub mod abc;
pub mod ensemble;
pub mod model;
pub mod observed;
pub mod posterior;
pub mod validate;

/// Quantile `q` (0..1) of `v` by linear interpolation between order statistics
/// (Hyndman & Fan type 7, R's default); `None` for an empty slice.
pub fn quantile(v: &[f64], q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let h = (s.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(s[lo] + (h - lo as f64) * (s[hi] - s[lo]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn quantiles_interpolate() {
        let v = [3.0, 1.0, 2.0, 4.0];
        assert_eq!(super::quantile(&v, 0.5), Some(2.5));
        assert_eq!(super::quantile(&v, 0.0), Some(1.0));
        assert_eq!(super::quantile(&v, 1.0), Some(4.0));
        assert_eq!(super::quantile(&[], 0.5), None);
    }
}
