//! Statistics of a run's series used to compare with published results.

/// Outbursts: maximal spells of consecutive steps with more than `threshold`
/// actives (Epstein's "punctuated equilibrium").
#[derive(Clone, Debug, PartialEq)]
pub struct Outbursts {
    pub count: usize,
    /// Mean of each outburst's peak number of actives.
    pub mean_peak: f64,
    /// Mean of each outburst's total size (actives summed over its steps).
    pub mean_size: f64,
    /// Mean length of each outburst (steps).
    pub mean_length: f64,
    /// Mean number of steps between the end of one outburst and the start of the next.
    pub mean_wait: f64,
    pub sd_wait: f64,
}

pub fn outbursts(active: &[u64], threshold: u64) -> Outbursts {
    let mut spells: Vec<(usize, usize, u64, u64)> = Vec::new(); // start, end (excl), peak, sum
    let mut i = 0;
    while i < active.len() {
        if active[i] > threshold {
            let start = i;
            let (mut peak, mut sum) = (0, 0);
            while i < active.len() && active[i] > threshold {
                peak = peak.max(active[i]);
                sum += active[i];
                i += 1;
            }
            spells.push((start, i, peak, sum));
        } else {
            i += 1;
        }
    }
    let mean = |xs: &[f64]| {
        if xs.is_empty() {
            f64::NAN
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let peaks: Vec<f64> = spells.iter().map(|s| s.2 as f64).collect();
    let sizes: Vec<f64> = spells.iter().map(|s| s.3 as f64).collect();
    let lengths: Vec<f64> = spells.iter().map(|s| (s.1 - s.0) as f64).collect();
    let waits: Vec<f64> = spells.windows(2).map(|p| (p[1].0 - p[0].1) as f64).collect();
    let mw = mean(&waits);
    let sd = if waits.len() > 1 {
        (waits.iter().map(|w| (w - mw).powi(2)).sum::<f64>() / (waits.len() - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    Outbursts {
        count: spells.len(),
        mean_peak: mean(&peaks),
        mean_size: mean(&sizes),
        mean_length: mean(&lengths),
        mean_wait: mw,
        sd_wait: sd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbursts_are_spells_above_threshold() {
        let a = [0, 60, 70, 0, 0, 0, 100, 0, 51];
        let o = outbursts(&a, 50);
        assert_eq!(o.count, 3);
        assert_eq!(o.mean_peak, (70.0 + 100.0 + 51.0) / 3.0);
        assert_eq!(o.mean_size, (130.0 + 100.0 + 51.0) / 3.0);
        assert_eq!(o.mean_wait, (3.0 + 1.0) / 2.0);
    }
}
