//! splitmix64, as in `kopra_db::demo_umkm`: small, fast, and the same numbers on every
//! platform for a seed. Every generated record gets its own stream derived from the seed,
//! the kind of record and its index, so records do not depend on one another's draws.

#[derive(Debug, Clone)]
pub struct Rng(u64);

/// The splitmix64 finaliser: a good 64-bit mixing function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream for record `index` of kind `stream` under `seed`.
    pub fn derive(seed: u64, stream: u64, index: u64) -> Self {
        Rng(mix(seed
            ^ mix(
                stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ mix(index.wrapping_add(0x2545_F491))
            )))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// 0 ≤ x < n (n = 0 gives 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// lo ≤ x ≤ hi.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo + 1) as u64) as i64
        }
    }

    /// True with probability `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// 0 ≤ x < 1.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the weights whose running totals are `cumulative`.
    pub fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0);
        let x = self.below(total);
        cumulative
            .partition_point(|&c| c <= x)
            .min(cumulative.len().saturating_sub(1))
    }

    /// Log-uniform between lo and hi (most values small, a few large), lo ≥ 1.
    pub fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
    }
}

/// Running totals of weights, for [`Rng::weighted`].
pub fn cumulative(weights: impl IntoIterator<Item = u64>) -> Vec<u64> {
    let mut total = 0;
    weights
        .into_iter()
        .map(|w| {
            total += w;
            total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_deterministic_and_independent() {
        let a: Vec<u64> = (0..5).map(|_| Rng::derive(1, 2, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::derive(1, 2, 3).next_u64(), Rng::derive(1, 2, 4).next_u64());
        assert_ne!(Rng::derive(1, 2, 3).next_u64(), Rng::derive(2, 2, 3).next_u64());
    }

    #[test]
    fn weighted_draws_follow_the_weights() {
        let cum = cumulative([1, 0, 3]);
        let mut r = Rng::new(7);
        let mut counts = [0; 3];
        for _ in 0..4000 {
            counts[r.weighted(&cum)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((2700..3300).contains(&counts[2]), "{counts:?}");
    }
}
