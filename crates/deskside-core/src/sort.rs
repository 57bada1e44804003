//! One stable sort for the whole core (issue 23): `slice::sort_by` is
//! monomorphised for every element type and comparison (about 2.9 KB of wasm
//! each, 23 of them in the background's module); here the sorting is done
//! once, on indices, through a `dyn` comparison, and each caller only adds
//! its comparison and the in-place permutation. Stable, like `sort_by`.

use std::cmp::Ordering;

/// `v.sort_by(cmp)`: stable, the same order.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    permute(order, &mut |a, b| v.swap(a, b));
}

/// `v.sort_by_key(key)`: stable, the same order.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The indices `0..n` in the order `cmp` sorts them (stable): the one
/// instance of the standard library's sort.
fn sorted_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves the element at `order[i]` to `i`, for every `i`, by swaps along
/// each cycle of the permutation.
fn permute(mut order: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    for i in 0..order.len() {
        let mut j = i;
        loop {
            let k = order[j];
            order[j] = j;
            if k == i {
                break;
            }
            swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same order as the standard library's stable sort, ties kept in
    /// their first order, on every permutation-shaped input a small
    /// generator makes (lengths 0–40, few and many distinct keys).
    #[test]
    fn orders_as_the_standard_stable_sort() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..40 {
            for keys in [1u64, 3, 1000] {
                let v: Vec<(u64, usize)> = (0..len).map(|i| (next() % keys, i)).collect();
                let mut want = v.clone();
                want.sort_by_key(|p| p.0);
                let mut got = v.clone();
                sort_by_key(&mut got, |p| p.0);
                assert_eq!(got, want, "{v:?}");
                let mut desc = v.clone();
                sort_by(&mut desc, |a, b| b.0.cmp(&a.0));
                let mut want_desc = v.clone();
                want_desc.sort_by(|a, b| b.0.cmp(&a.0));
                assert_eq!(desc, want_desc);
            }
        }
        let mut words = vec!["pear".to_string(), "apple".into(), "fig".into(), "apple".into()];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }
}
