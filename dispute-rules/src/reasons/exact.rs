//! Exact comparisons of decimal amounts (C-4: the cap and the amounts
//! checked against it), the same order as [`Decimal`]'s `Ord`, without its
//! general path when both amounts have the same scale or one rescales
//! within 128 bits (every amount a line carries).

use rust_decimal::Decimal;
use std::cmp::Ordering;

/// 10^0 ..= 10^28 (the largest scale a [`Decimal`] has).
const POW10: [i128; 29] = {
    let mut p = [1i128; 29];
    let mut i = 1;
    while i < 29 {
        // `p[i - 1]` and `p[i]` are in bounds: `1 <= i < 29` (const: no iterators)
        #[allow(clippy::indexing_slicing)]
        {
            p[i] = p[i - 1] * 10;
        }
        i += 1;
    }
    p
};

/// `a.cmp(&b)`: the value `m / 10^s` of each compared as `m_a * 10^(s_b -
/// s_a)` against `m_b` (scales told apart); where that would overflow, the
/// general comparison.
pub(crate) fn cmp(a: Decimal, b: Decimal) -> Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    let (ma, mb) = (a.mantissa(), b.mantissa());
    if sa == sb {
        return ma.cmp(&mb);
    }
    let up = |m: i128, by: u32| {
        POW10
            .get(usize::try_from(by).unwrap_or(usize::MAX))
            .and_then(|p| m.checked_mul(*p))
    };
    let scaled = if sa < sb {
        up(ma, sb - sa).map(|x| x.cmp(&mb))
    } else {
        up(mb, sa - sb).map(|y| ma.cmp(&y))
    };
    scaled.unwrap_or_else(|| a.cmp(&b))
}

/// `a < b`.
pub(crate) fn lt(a: Decimal, b: Decimal) -> bool {
    cmp(a, b) == Ordering::Less
}

/// `a <= b`.
pub(crate) fn le(a: Decimal, b: Decimal) -> bool {
    cmp(a, b) != Ordering::Greater
}

/// `a == b` (equal values, whatever their scales).
pub(crate) fn eq(a: Decimal, b: Decimal) -> bool {
    cmp(a, b) == Ordering::Equal
}

/// `a.min(b)`: `a` unless `b` is smaller (so `a` when they are equal).
pub(crate) fn min(a: Decimal, b: Decimal) -> Decimal {
    if cmp(a, b) == Ordering::Greater {
        b
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn orders_like_decimal_ord() {
        let texts = [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "1",
            "1.0",
            "1.00",
            "0.99",
            "22.48",
            "22.480",
            "22.49",
            "-22.48",
            "-1",
            "-0.01",
            "100",
            "99.999999",
            "1e-28",
            "-1e-28",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7922816251426433759354395033.5",
            "0.0000000000000000000000000001",
            "12345678901234567890.12345678",
        ];
        let values: Vec<Decimal> = texts
            .iter()
            .map(|t| {
                Decimal::from_str(t)
                    .or_else(|_| Decimal::from_scientific(t))
                    .unwrap()
            })
            .collect();
        for a in &values {
            for b in &values {
                assert_eq!(cmp(*a, *b), a.cmp(b), "{a} vs {b}");
                assert_eq!(lt(*a, *b), a < b);
                assert_eq!(le(*a, *b), a <= b);
                assert_eq!(eq(*a, *b), a == b);
                let (m, n) = (min(*a, *b), (*a).min(*b));
                assert_eq!((m, m.scale()), (n, n.scale()), "min of {a} and {b}");
            }
        }
    }
}
