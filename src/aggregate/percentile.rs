//! Exact nearest-rank percentiles.

/// The nearest-rank `p`-th percentile (0 < p ≤ 100) of values already
/// sorted ascending: the smallest value such that at least p% of the values
/// are ≤ it, i.e. the value of rank ⌈p·n/100⌉. `None` when there are none.
pub(crate) fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let p = p.clamp(1, 100) as usize;
    // ⌈p·n/100⌉ in integers, at least 1.
    let rank = (p.saturating_mul(n).saturating_add(99) / 100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_examples() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        // Wikipedia's example: 15 20 35 40 50 → p30 = 20, p40 = 20, p50 = 35, p100 = 50.
        let v = [15, 20, 35, 40, 50];
        assert_eq!(nearest_rank(&v, 30), Some(20));
        assert_eq!(nearest_rank(&v, 40), Some(20));
        assert_eq!(nearest_rank(&v, 50), Some(35));
        assert_eq!(nearest_rank(&v, 100), Some(50));
        // Even count: the p50 is the lower middle, never an interpolation.
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
        // p90 of 1..=10 is 9, of 1..=11 is 10 (rank ⌈9.9⌉ = 10).
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(nearest_rank(&eleven, 90), Some(10));
        let hundred: Vec<i64> = (1..=100).collect();
        assert_eq!(nearest_rank(&hundred, 90), Some(90));
        assert_eq!(nearest_rank(&hundred, 50), Some(50));
    }

    #[test]
    fn matches_the_definition_on_many_sizes() {
        for n in 1..60usize {
            let v: Vec<i64> = (0..n as i64).map(|i| i * 3 + 1).collect();
            for p in [50u32, 90, 100] {
                let got = nearest_rank(&v, p).unwrap();
                // At least p% of values are ≤ got, and fewer than p% are < got.
                let le = v.iter().filter(|&&x| x <= got).count();
                let lt = v.iter().filter(|&&x| x < got).count();
                assert!(le * 100 >= p as usize * n, "n {n} p {p}");
                assert!(lt * 100 < p as usize * n, "n {n} p {p}");
            }
        }
    }
}
