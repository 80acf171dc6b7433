//! Counter-based random streams.
//!
//! Every random draw in sahel is a pure function of
//! `(seed, step, stream, entity, draw index)`. There is no shared generator whose
//! state advances as agents are processed, so the order in which threads process
//! agents cannot change any number: that is what makes the `parallel` scheduler
//! bit-identical for every thread count.
//!
//! The construction is SplitMix64 (Steele, Lea & Flood 2014, the generator behind
//! Java's `SplittableRandom`): the key is derived by chaining the 64-bit finaliser
//! (Stafford's "mix13") over the coordinates, and draw `i` is the finaliser applied
//! to `key + (i + 1) · γ`, γ the golden-ratio increment. Consecutive draws of one
//! key are therefore exactly a SplitMix64 sequence seeded with that key, a
//! generator that passes BigCrush. Keys of neighbouring coordinates are
//! decorrelated by the finaliser's avalanche.

/// The golden-ratio increment of SplitMix64.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// Stafford's variant 13 of the MurmurHash3 64-bit finaliser, as in SplitMix64.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Derive the key of one stream: a hash of all its coordinates.
#[inline(always)]
pub fn key(seed: u64, step: u64, stream: u64, entity: u64) -> u64 {
    let k = mix64(seed ^ 0x5348_454C_2D52_4E47); // "SHEL-RNG"
    let k = mix64(k.wrapping_add(stream.wrapping_add(1).wrapping_mul(GAMMA)));
    let k = mix64(k ^ step.wrapping_mul(0xD1B5_4A32_D192_ED03));
    mix64(k ^ entity.wrapping_mul(0xAEF1_7502_108E_F2D9))
}

/// A stream of draws for one `(seed, step, stream, entity)`.
///
/// Cheap to create (four multiplications); create one where it is needed rather
/// than passing generators around.
#[derive(Clone, Debug)]
pub struct Rng {
    key: u64,
    counter: u64,
}

impl Rng {
    /// The stream of `entity` at `step` in stream family `stream`, for run `seed`.
    #[inline(always)]
    pub fn new(seed: u64, step: u64, stream: u64, entity: u64) -> Self {
        Rng { key: key(seed, step, stream, entity), counter: 0 }
    }

    /// How many draws this stream has made.
    pub fn draws(&self) -> u64 {
        self.counter
    }

    /// The `i`-th draw of this stream, without advancing it.
    #[inline(always)]
    pub fn at(&self, i: u64) -> u64 {
        mix64(self.key.wrapping_add(i.wrapping_add(1).wrapping_mul(GAMMA)))
    }

    /// The next 64 random bits.
    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        let v = self.at(self.counter);
        self.counter += 1;
        v
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    #[inline(always)]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `[0, n)`, without bias (Lemire 2019). `n` must be > 0.
    #[inline(always)]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let mut m = (self.next_u64() as u128) * (n as u128);
        if (m as u64) < n {
            let t = n.wrapping_neg() % n;
            while (m as u64) < t {
                m = (self.next_u64() as u128) * (n as u128);
            }
        }
        (m >> 64) as u64
    }

    /// A uniform integer in `[lo, hi]` (both inclusive).
    #[inline(always)]
    pub fn range_inclusive(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// True with probability `p`.
    #[inline(always)]
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// A Poisson count with mean `lambda` (0 for `lambda <= 0`): Knuth's
    /// product of uniforms, on chunks of mean at most 30 whose counts add up
    /// (a sum of independent Poisson counts is Poisson), so `e^-chunk` never
    /// underflows. Exact; its cost grows with `lambda`, for the small means a
    /// weekly rate gives.
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        let mut left = if lambda.is_finite() { lambda.max(0.0) } else { 0.0 };
        let mut n = 0;
        while left > 0.0 {
            let chunk = left.min(30.0);
            left -= chunk;
            let floor = (-chunk).exp();
            let mut prod = self.uniform();
            while prod >= floor {
                n += 1;
                prod *= self.uniform();
            }
        }
        n
    }

    /// Fisher–Yates shuffle (Durstenfeld's form, from the back).
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }
}

/// Named stream families. Models declare their own in the `MODEL` range; the engine's
/// are listed here so no two users of a stream family collide.
pub mod streams {
    /// The activation order of the sequential scheduler.
    pub const ACTIVATION: u64 = 1;
    /// Priorities that break ties between agents claiming the same thing in a
    /// synchronous (parallel) step.
    pub const PRIORITY: u64 = 2;
    /// Initialisation of a model (step is 0 and entity the cell or agent).
    pub const INIT: u64 = 3;
    /// First stream number free for models.
    pub const MODEL: u64 = 100;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Poisson counts: mean and variance both lambda, for a small mean and
    /// one spread over several chunks; 20,000 draws put the sample mean within
    /// 4 standard errors (sqrt(lambda / n)) and the sample variance within 4 of
    /// its relative standard errors (sqrt((1 / lambda + 2) / n) for a Poisson).
    #[test]
    fn poisson_counts_have_mean_and_variance_lambda() {
        for lambda in [0.05, 2.5, 75.0] {
            let mut r = Rng::new(11, 0, 100, (lambda * 100.0) as u64);
            let n = 20_000;
            let xs: Vec<f64> = (0..n).map(|_| r.poisson(lambda) as f64).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            assert!((mean - lambda).abs() < 4.0 * (lambda / n as f64).sqrt(), "lambda {lambda}: mean {mean}");
            assert!(
                (var / lambda - 1.0).abs() < 4.0 * ((1.0 / lambda + 2.0) / n as f64).sqrt(),
                "lambda {lambda}: var {var}"
            );
        }
        assert_eq!(Rng::new(1, 0, 100, 0).poisson(0.0), 0);
        assert_eq!(Rng::new(1, 0, 100, 0).poisson(-1.0), 0);
    }

    #[test]
    fn same_coordinates_same_draws() {
        let mut a = Rng::new(7, 3, 100, 42);
        let mut b = Rng::new(7, 3, 100, 42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn coordinates_all_matter() {
        let base = Rng::new(1, 2, 3, 4).at(0);
        assert_ne!(base, Rng::new(2, 2, 3, 4).at(0));
        assert_ne!(base, Rng::new(1, 3, 3, 4).at(0));
        assert_ne!(base, Rng::new(1, 2, 4, 4).at(0));
        assert_ne!(base, Rng::new(1, 2, 3, 5).at(0));
        // swapping coordinates must not collide either
        assert_ne!(Rng::new(1, 2, 3, 4).at(0), Rng::new(1, 4, 3, 2).at(0));
    }

    /// Chi-square test of `below(10)` over draws of *different entities*
    /// (the way models use streams: one or two draws per entity and step).
    /// 9 degrees of freedom: the 0.999 quantile is 27.9, so a correct generator
    /// fails this fixed-seed test with probability 0.001 — and being fixed-seed it
    /// either always passes or always fails.
    #[test]
    fn below_is_uniform_across_entities() {
        let mut counts = [0u64; 10];
        let n = 200_000u64;
        for e in 0..n {
            counts[Rng::new(11, 5, 100, e).below(10) as usize] += 1;
        }
        let expected = n as f64 / 10.0;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - expected).powi(2) / expected).sum();
        assert!(chi2 < 27.9, "chi2 = {chi2}, counts = {counts:?}");
    }

    /// Serial pairs of consecutive entities: a 4×4 contingency of quartiles,
    /// 15 d.f., 0.999 quantile 37.7.
    #[test]
    fn neighbouring_entities_are_independent() {
        let mut counts = [[0u64; 4]; 4];
        let n = 160_000u64;
        for e in 0..n {
            let a = (Rng::new(3, 1, 100, e).uniform() * 4.0) as usize;
            let b = (Rng::new(3, 1, 100, e + 1).uniform() * 4.0) as usize;
            counts[a][b] += 1;
        }
        let expected = n as f64 / 16.0;
        let chi2: f64 = counts.iter().flatten().map(|&c| (c as f64 - expected).powi(2) / expected).sum();
        assert!(chi2 < 37.7, "chi2 = {chi2}");
    }

    #[test]
    fn uniform_in_unit_interval_and_mean_half() {
        let mut r = Rng::new(5, 0, 100, 0);
        let n = 100_000;
        let mut s = 0.0;
        for _ in 0..n {
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
            s += u;
        }
        // sd of the mean is sqrt(1/12/n) = 0.00091; 5 sd
        assert!((s / n as f64 - 0.5).abs() < 0.0046);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut xs: Vec<u32> = (0..1000).collect();
        Rng::new(1, 1, 1, 1).shuffle(&mut xs);
        let mut ys = xs.clone();
        ys.sort();
        assert_eq!(ys, (0..1000).collect::<Vec<_>>());
        assert_ne!(xs, ys);
    }

    #[test]
    fn range_inclusive_hits_both_ends() {
        let mut r = Rng::new(9, 9, 9, 9);
        let mut seen = [false; 4];
        for _ in 0..1000 {
            seen[r.range_inclusive(0, 3) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
