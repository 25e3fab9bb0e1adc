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

    /// The ISO 4217 minor unit of the currency (the number of decimal
    /// places of its smallest unit: `JPY` 0, `USD` 2, `KWD` 3, `CLF` 4), or
    /// `None` for a well-formed code that is not an active ISO 4217 currency
    /// with a minor unit (`XAU`, `XDR`, `XXX`, a private code).
    ///
    /// ```
    /// use dispute_rules::Currency;
    /// let units = |c: &str| Currency::new(c).and_then(Currency::minor_units);
    /// assert_eq!((units("JPY"), units("USD"), units("KWD")), (Some(0), Some(2), Some(3)));
    /// assert_eq!(units("XAU"), None);
    /// ```
    pub fn minor_units(self) -> Option<u32> {
        let code = &self.0;
        if code == b"USD" || code == b"EUR" || TWO.binary_search(code).is_ok() {
            Some(2)
        } else if ZERO.contains(code) {
            Some(0)
        } else if THREE.contains(code) {
            Some(3)
        } else if FOUR.contains(code) {
            Some(4)
        } else {
            None
        }
    }

    /// The decimal places an amount in this currency may have (C-2): its
    /// [`minor_units`](Currency::minor_units); for a code not in the table,
    /// [`MAX_MINOR_UNITS`], the largest minor unit of ISO 4217.
    pub fn decimals_allowed(self) -> u32 {
        self.minor_units().unwrap_or(MAX_MINOR_UNITS)
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
                "`{}` is not a currency code (three uppercase letters, like `USD`)",
                crate::limits::echo(&s)
            ))
        })
    }
}

/// The largest minor unit of ISO 4217 (`CLF`, `UYW`): the decimal places
/// allowed for a well-formed currency code that is not in the table.
pub const MAX_MINOR_UNITS: u32 = 4;

/// ISO 4217 (list one, 2025): currencies without minor units.
const ZERO: [[u8; 3]; 17] = [
    *b"BIF", *b"CLP", *b"DJF", *b"GNF", *b"ISK", *b"JPY", *b"KMF", *b"KRW", *b"PYG", *b"RWF",
    *b"UGX", *b"UYI", *b"VND", *b"VUV", *b"XAF", *b"XOF", *b"XPF",
];

/// ISO 4217: currencies with three decimal places.
const THREE: [[u8; 3]; 7] = [
    *b"BHD", *b"IQD", *b"JOD", *b"KWD", *b"LYD", *b"OMR", *b"TND",
];

/// ISO 4217: currencies with four decimal places.
const FOUR: [[u8; 3]; 2] = [*b"CLF", *b"UYW"];

/// ISO 4217: currencies with two decimal places, sorted (binary search);
/// with `HRK`, `SLL` and `ZWL`, withdrawn lately but still in old orders.
const TWO: [[u8; 3]; 143] = [
    *b"AED", *b"AFN", *b"ALL", *b"AMD", *b"ANG", *b"AOA", *b"ARS", *b"AUD", *b"AWG", *b"AZN",
    *b"BAM", *b"BBD", *b"BDT", *b"BGN", *b"BMD", *b"BND", *b"BOB", *b"BOV", *b"BRL", *b"BSD",
    *b"BTN", *b"BWP", *b"BYN", *b"BZD", *b"CAD", *b"CDF", *b"CHE", *b"CHF", *b"CHW", *b"CNY",
    *b"COP", *b"COU", *b"CRC", *b"CUP", *b"CVE", *b"CZK", *b"DKK", *b"DOP", *b"DZD", *b"EGP",
    *b"ERN", *b"ETB", *b"EUR", *b"FJD", *b"FKP", *b"GBP", *b"GEL", *b"GHS", *b"GIP", *b"GMD",
    *b"GTQ", *b"GYD", *b"HKD", *b"HNL", *b"HRK", *b"HTG", *b"HUF", *b"IDR", *b"ILS", *b"INR",
    *b"IRR", *b"JMD", *b"KES", *b"KGS", *b"KHR", *b"KPW", *b"KYD", *b"KZT", *b"LAK", *b"LBP",
    *b"LKR", *b"LRD", *b"LSL", *b"MAD", *b"MDL", *b"MGA", *b"MKD", *b"MMK", *b"MNT", *b"MOP",
    *b"MRU", *b"MUR", *b"MVR", *b"MWK", *b"MXN", *b"MXV", *b"MYR", *b"MZN", *b"NAD", *b"NGN",
    *b"NIO", *b"NOK", *b"NPR", *b"NZD", *b"PAB", *b"PEN", *b"PGK", *b"PHP", *b"PKR", *b"PLN",
    *b"QAR", *b"RON", *b"RSD", *b"RUB", *b"SAR", *b"SBD", *b"SCR", *b"SDG", *b"SEK", *b"SGD",
    *b"SHP", *b"SLE", *b"SLL", *b"SOS", *b"SRD", *b"SSP", *b"STN", *b"SVC", *b"SYP", *b"SZL",
    *b"THB", *b"TJS", *b"TMT", *b"TOP", *b"TRY", *b"TTD", *b"TWD", *b"TZS", *b"UAH", *b"USD",
    *b"USN", *b"UYU", *b"UZS", *b"VED", *b"VES", *b"WST", *b"XCD", *b"XCG", *b"YER", *b"ZAR",
    *b"ZMW", *b"ZWG", *b"ZWL",
];

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

    /// C-2: `None` when the amount has no more decimal places than its
    /// currency allows ([`Currency::decimals_allowed`]; trailing zeros do
    /// not count: `19.990 USD` is `19.99 USD`), else what is wrong, for a
    /// problem on the amount's field. The claim check and the facts
    /// validation both use it.
    ///
    /// ```
    /// use dispute_rules::Money;
    /// assert_eq!(Money::parse("19.99", "USD").unwrap().decimals_problem(), None);
    /// assert_eq!(Money::parse("19.990", "USD").unwrap().decimals_problem(), None);
    /// assert_eq!(
    ///     Money::parse("19.999", "USD").unwrap().decimals_problem().as_deref(),
    ///     Some("`19.999` has 3 decimal places; `USD` has 2 (C-2)")
    /// );
    /// assert!(Money::parse("1.5", "JPY").unwrap().decimals_problem().is_some());
    /// ```
    pub fn decimals_problem(&self) -> Option<String> {
        let allowed = self.currency.decimals_allowed();
        if self.amount.scale() <= allowed {
            return None;
        }
        let places = self.amount.normalize().scale();
        if places <= allowed {
            return None;
        }
        let unit = match self.currency.minor_units() {
            Some(_) => format!("`{}` has {allowed}", self.currency),
            None => format!(
                "`{}` is not in the ISO 4217 table: at most {allowed}",
                self.currency
            ),
        };
        Some(format!(
            "`{}` has {places} decimal places; {unit} (C-2)",
            self.amount
        ))
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

    /// Reads a decimal written as text (surrounding spaces ignored; plain
    /// or scientific notation).
    pub(crate) fn parse(v: &str) -> Option<Decimal> {
        let v = v.trim();
        Decimal::from_str(v)
            .or_else(|_| Decimal::from_scientific(v))
            .ok()
    }

    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal amount such as \"12.50\"")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse(v).ok_or_else(|| {
                E::custom(format_args!(
                    "`{}` is not a decimal amount",
                    crate::limits::echo(v)
                ))
            })
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
    fn iso_4217_minor_units() {
        let units = |c: &str| Currency::new(c).and_then(Currency::minor_units);
        for (code, want) in [
            ("JPY", Some(0)),
            ("KRW", Some(0)),
            ("CLP", Some(0)),
            ("USD", Some(2)),
            ("EUR", Some(2)),
            ("RUB", Some(2)),
            ("BRL", Some(2)),
            ("KWD", Some(3)),
            ("BHD", Some(3)),
            ("TND", Some(3)),
            ("CLF", Some(4)),
            ("XAU", None),
            ("XXX", None),
            ("ZZZ", None),
        ] {
            assert_eq!(units(code), want, "{code}");
        }
        // The two-decimal table is sorted (it is binary-searched) and the
        // tables do not overlap.
        assert!(TWO.windows(2).all(|w| w[0] < w[1]));
        for c in ZERO.iter().chain(&THREE).chain(&FOUR) {
            assert!(TWO.binary_search(c).is_err());
        }
        assert_eq!(
            Currency::new("ZZZ").map(Currency::decimals_allowed),
            Some(4)
        );
    }

    #[test]
    fn c2_amounts_fit_the_minor_unit() {
        let p = |a: &str, c: &str| Money::parse(a, c).and_then(|m| m.decimals_problem());
        assert_eq!(p("19.99", "USD"), None);
        assert_eq!(p("19.9900", "USD"), None);
        assert_eq!(p("100", "JPY"), None);
        assert_eq!(p("1.234", "KWD"), None);
        assert!(p("19.999", "USD").is_some_and(|m| m.contains("C-2")));
        assert!(p("100.5", "JPY").is_some_and(|m| m.contains("`JPY` has 0")));
        assert!(p("1.2345", "KWD").is_some());
        assert_eq!(p("1.2345", "ZZZ"), None);
        assert!(p("1.23456", "ZZZ").is_some_and(|m| m.contains("not in the ISO 4217 table")));
    }

    #[test]
    fn bad_amount_is_an_error() {
        let r: Result<Money, _> = serde_json::from_str(r#"{"amount": "ten", "currency": "USD"}"#);
        assert!(r.is_err_and(|e| e.to_string().contains("`ten` is not a decimal amount")));
    }
}
