//! Exact money (C-2): a decimal amount with an ISO 4217 currency code.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency code: three uppercase ASCII letters (`USD`, `EUR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");

    /// Parses a code; `None` unless it is three uppercase ASCII letters.
    pub fn new(code: &str) -> Option<Currency> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Some(Currency([*a, *b, *c]))
            }
            _ => None,
        }
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        // Always three ASCII letters (checked in `new`).
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Currency::new(&s).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "`{s}` is not a currency code (three uppercase letters, like `USD`)"
            ))
        })
    }
}

/// An exact amount with its currency (C-2).
///
/// In JSON: `{"amount": "12.50", "currency": "USD"}`. The amount is written
/// as a string; a JSON number is accepted too, read by its shortest decimal
/// spelling (so `12.5` is exactly 12.5), never through binary arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// The amount, exact.
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Amount"))]
    pub amount: Decimal,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// An amount in a currency.
    pub const fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// Zero in a currency.
    pub const fn zero(currency: Currency) -> Money {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    /// Parses `"12.50 USD"`-like amount and currency separately.
    pub fn parse(amount: &str, currency: &str) -> Option<Money> {
        Some(Money {
            amount: Decimal::from_str(amount).ok()?,
            currency: Currency::new(currency)?,
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Serde helpers for decimals written as strings (numbers accepted on input).
pub mod decimal_text {
    use super::*;

    /// Writes the decimal as a string.
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    /// Reads a decimal from a string or a JSON number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(V)
    }

    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal amount such as \"12.50\"")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            Decimal::from_str(v.trim())
                .or_else(|_| Decimal::from_scientific(v.trim()))
                .map_err(|_| E::custom(format_args!("`{v}` is not a decimal amount")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
            if !v.is_finite() {
                return Err(E::custom("amount is not a finite number"));
            }
            // Shortest round-trip spelling of the number, then exact parsing.
            let text = format!("{v}");
            self.visit_str(&text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes() {
        assert!(Currency::new("USD").is_some());
        assert!(Currency::new("usd").is_none());
        assert!(Currency::new("US").is_none());
        assert!(Currency::new("USDT").is_none());
    }

    #[test]
    fn c2_amounts_are_exact() {
        // C-2: 0.1 + 0.2 is exactly 0.3 (a float would not be).
        let a: Money = serde_json::from_str(r#"{"amount": 0.1, "currency": "USD"}"#)
            .unwrap_or(Money::zero(Currency::USD));
        let b: Money = serde_json::from_str(r#"{"amount": "0.2", "currency": "USD"}"#)
            .unwrap_or(Money::zero(Currency::USD));
        assert_eq!(
            a.amount + b.amount,
            Decimal::from_str("0.3").unwrap_or_default()
        );
        assert_eq!(
            serde_json::to_string(&b).unwrap_or_default(),
            r#"{"amount":"0.2","currency":"USD"}"#
        );
    }

    #[test]
    fn bad_amount_is_an_error() {
        let r: Result<Money, _> = serde_json::from_str(r#"{"amount": "ten", "currency": "USD"}"#);
        assert!(r.is_err_and(|e| e.to_string().contains("`ten` is not a decimal amount")));
    }
}
