//! A fast reader for the common form of the facts' JSON: a single pass over
//! the bytes, no allocation but the facts' own strings.
//!
//! It reads only what it is sure of: keys and strings without escapes,
//! plain whole numbers, decimal amounts written as strings, instants in the
//! strict RFC 3339 form. For anything else (an escape, an unknown or
//! repeated key, a number amount, a relaxed instant, any error) it gives up
//! and the facts are read by serde (the same answer, or the error naming the
//! field). A property test checks that whenever it answers, serde answers
//! the same.

use super::{
    ConfirmedBy, ExtensionRequest, ExtensionStatus, OrderFacts, PaymentMethod, PriorDispute,
    PriorDisputeStatus, Receipt, Tracking,
};
use crate::money::{Currency, Money};
use chrono::{DateTime, Utc};

/// A byte scanner over JSON text.
pub(crate) struct Scan<'a> {
    s: &'a str,
    i: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bits set in the bytes of `w` that end a plain string run: `"`,
/// `\` or a control character (no false negatives).
const fn string_stops(w: u64) -> u64 {
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * b'"' as u64);
    let quote = q.wrapping_sub(ONES) & !q;
    let b = w ^ (ONES * b'\\' as u64);
    let backslash = b.wrapping_sub(ONES) & !b;
    (below_space | quote | backslash) & HIGHS
}

impl<'a> Scan<'a> {
    pub(crate) fn new(s: &'a str) -> Scan<'a> {
        Scan { s, i: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes().get(self.i).copied()
    }

    pub(crate) fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Whether only whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.ws();
        self.i == self.s.len()
    }

    /// A string without escapes.
    pub(crate) fn str(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let b = self.bytes();
        let start = self.i;
        let mut i = start;
        // Eight bytes at a time while none ends the string.
        while let Some(w) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            if string_stops(u64::from_le_bytes(w)) != 0 {
                break;
            }
            i += 8;
        }
        loop {
            match *b.get(i)? {
                b'"' => break,
                b'\\' => return None,
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
        self.i = i + 1;
        // `start` and `i` are at ASCII quotes: char boundaries.
        self.s.get(start..i)
    }

    /// `null`, consumed when present.
    pub(crate) fn null(&mut self) -> bool {
        self.ws();
        let found = self
            .bytes()
            .get(self.i..self.i + 4)
            .is_some_and(|w| w == b"null");
        if found {
            self.i += 4;
        }
        found
    }

    pub(crate) fn bool(&mut self) -> Option<bool> {
        self.ws();
        let rest = self.bytes().get(self.i..)?;
        if rest.starts_with(b"true") {
            self.i += 4;
            Some(true)
        } else if rest.starts_with(b"false") {
            self.i += 5;
            Some(false)
        } else {
            None
        }
    }

    /// A plain whole number (digits only, no leading zero) that fits a `u32`.
    fn u32(&mut self) -> Option<u32> {
        self.ws();
        let b = self.bytes();
        let start = self.i;
        let mut v: u32 = 0;
        while let Some(d) = b.get(self.i).filter(|c| c.is_ascii_digit()) {
            v = v.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
            self.i += 1;
        }
        let len = self.i - start;
        let leading_zero = len > 1 && b.get(start) == Some(&b'0');
        let continues = matches!(b.get(self.i), Some(b'.' | b'e' | b'E'));
        (len > 0 && !leading_zero && !continues).then_some(v)
    }

    /// An object whose keys are all among `keys`, each at most once: `f`
    /// gets the key's index, positioned at its value. The keys are looked
    /// for in the order given first (the usual order costs one comparison).
    pub(crate) fn fields(
        &mut self,
        keys: &[&str],
        mut f: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        let mut seen = 0u64;
        let mut guess = 0;
        loop {
            let k = self.key(keys, guess)?;
            let bit = 1u64.checked_shl(u32::try_from(k).ok()?)?;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            guess = k + 1;
            self.eat(b':')?;
            f(self, k)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The index in `keys` of the next key (`guess` tried first).
    fn key(&mut self, keys: &[&str], guess: usize) -> Option<usize> {
        self.ws();
        if let (Some(k), Some(rest)) = (keys.get(guess), self.bytes().get(self.i..)) {
            let k = k.as_bytes();
            if rest.first() == Some(&b'"')
                && rest.get(1..=k.len()) == Some(k)
                && rest.get(k.len() + 1) == Some(&b'"')
            {
                self.i += k.len() + 2;
                return Some(guess);
            }
        }
        let name = self.str()?;
        keys.iter().position(|k| *k == name)
    }

    fn array(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            f(self)?;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Reads one JSON value with serde at the scanner's position (a raw
    /// document of a request, or a small typed one) and moves past it.
    pub(crate) fn serde<T: serde::Deserialize<'a>>(&mut self) -> Option<T> {
        self.ws();
        let rest = self.s.get(self.i..)?;
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        let value = values.next()?.ok()?;
        self.i += values.byte_offset();
        Some(value)
    }

    pub(crate) fn instant(&mut self) -> Option<DateTime<Utc>> {
        // The usual length first (`…:SSZ`): an instant the strict reader
        // takes holds no quote or escape, so its closing quote is the
        // string's end.
        self.ws();
        let at = self.i;
        let b = self.bytes();
        if b.get(at) == Some(&b'"') && b.get(at + 21) == Some(&b'"') {
            if let Some(t) = b.get(at + 1..at + 21).and_then(utc_instant) {
                self.i = at + 22;
                return Some(t);
            }
        }
        crate::calendar::rfc3339::fast(self.str()?)
    }

    fn opt_instant(&mut self) -> Option<Option<DateTime<Utc>>> {
        if self.null() {
            return Some(None);
        }
        self.instant().map(Some)
    }

    fn money(&mut self) -> Option<Money> {
        let (mut amount, mut currency) = (None, None);
        self.fields(&["amount", "currency"], |s, key| {
            match key {
                0 => amount = Some(crate::money::decimal_text::parse(s.str()?)?),
                _ => currency = Some(Currency::new(s.str()?)?),
            }
            Some(())
        })?;
        Some(Money::new(amount?, currency?))
    }

    fn tracking(&mut self) -> Option<Tracking> {
        let mut status = None;
        let (mut last_event_at, mut since, mut at, mut to_correct) = (None, None, None, None);
        let keys = [
            "status",
            "at",
            "to_correct_address",
            "since",
            "last_event_at",
        ];
        self.fields(&keys, |s, key| {
            match key {
                0 => status = Some(s.str()?),
                1 => at = Some(s.instant()?),
                2 => to_correct = Some(s.bool()?),
                3 => since = Some(s.instant()?),
                _ => last_event_at = Some(s.opt_instant()?),
            }
            Some(())
        })?;
        let only = |allowed: [bool; 4]| {
            let given = [
                last_event_at.is_some(),
                since.is_some(),
                at.is_some(),
                to_correct.is_some(),
            ];
            given.iter().zip(allowed).all(|(g, a)| !g || a)
        };
        let t = match status? {
            "none" if only([false; 4]) => Tracking::None,
            "in_transit" if only([true, false, false, false]) => Tracking::InTransit {
                last_event_at: last_event_at.flatten(),
            },
            "stalled" if only([false, true, false, false]) => Tracking::Stalled { since: since? },
            "customs_hold" if only([false, true, false, false]) => {
                Tracking::CustomsHold { since: since? }
            }
            "returned_to_sender" if only([false, false, true, false]) => {
                Tracking::ReturnedToSender { at: at? }
            }
            "delivered" if only([false, false, true, true]) => Tracking::Delivered {
                at: at?,
                to_correct_address: to_correct.unwrap_or(true),
            },
            _ => return None,
        };
        Some(t)
    }

    fn receipt(&mut self) -> Option<Receipt> {
        let (mut at, mut by) = (None, None);
        self.fields(&["at", "by"], |s, key| {
            match key {
                0 => at = Some(s.instant()?),
                _ => {
                    by = Some(match s.str()? {
                        "buyer" => ConfirmedBy::Buyer,
                        "automatic" => ConfirmedBy::Automatic,
                        _ => return None,
                    })
                }
            }
            Some(())
        })?;
        Some(Receipt { at: at?, by: by? })
    }

    fn extension(&mut self) -> Option<ExtensionRequest> {
        let (mut requested_at, mut days, mut status, mut decided_at) = (None, None, None, None);
        let keys = ["requested_at", "days", "status", "decided_at"];
        self.fields(&keys, |s, key| {
            match key {
                0 => requested_at = Some(s.instant()?),
                1 => days = Some(s.u32()?),
                2 => {
                    status = Some(match s.str()? {
                        "pending" => ExtensionStatus::Pending,
                        "approved" => ExtensionStatus::Approved,
                        "declined" => ExtensionStatus::Declined,
                        _ => return None,
                    })
                }
                _ => decided_at = Some(s.opt_instant()?),
            }
            Some(())
        })?;
        Some(ExtensionRequest {
            requested_at: requested_at?,
            days: days?,
            status: status?,
            decided_at: decided_at.flatten(),
        })
    }

    fn dispute(&mut self) -> Option<PriorDispute> {
        let (mut opened_at, mut status, mut closed_at) = (None, None, None);
        self.fields(&["opened_at", "status", "closed_at"], |s, key| {
            match key {
                0 => opened_at = Some(s.instant()?),
                1 => {
                    status = Some(match s.str()? {
                        "open" => PriorDisputeStatus::Open,
                        "cancelled" => PriorDisputeStatus::Cancelled,
                        "closed_by_agreement" => PriorDisputeStatus::ClosedByAgreement,
                        "decided" => PriorDisputeStatus::Decided,
                        _ => return None,
                    })
                }
                _ => closed_at = Some(s.opt_instant()?),
            }
            Some(())
        })?;
        Some(PriorDispute {
            opened_at: opened_at?,
            status: status?,
            closed_at: closed_at.flatten(),
        })
    }

    /// The facts object (the scanner positioned at it), read as
    /// [`parse`] reads them.
    pub(crate) fn facts(&mut self) -> Option<OrderFacts> {
        let mut schema_version = None;
        let (mut order_id, mut line_id) = (None, None);
        let (mut unit_price, mut quantity, mut shipping_cost) = (None, None, None);
        let mut coupon: Option<Option<Money>> = None;
        let mut placed_at = None;
        let (mut paid_at, mut shipped_at) = (None, None);
        let mut shipping_method = None;
        let mut promised: Option<Option<u32>> = None;
        let mut destination_country = None;
        let mut tracking = None;
        let mut receipt: Option<Option<Receipt>> = None;
        let mut extensions = None;
        let (mut order_cancelled_at, mut refund_completed_at) = (None, None);
        let mut disputes = None;
        let mut payment_method = None;
        self.fields(&FACT_KEYS, |s, key| {
            match key {
                0 => schema_version = Some(s.u32()?),
                1 => order_id = Some(s.str()?),
                2 => line_id = Some(s.str()?),
                3 => unit_price = Some(s.money()?),
                4 => quantity = Some(s.u32()?),
                5 => shipping_cost = Some(s.money()?),
                6 => {
                    coupon = Some(if s.null() { None } else { Some(s.money()?) });
                }
                7 => placed_at = Some(s.instant()?),
                8 => paid_at = Some(s.opt_instant()?),
                9 => shipped_at = Some(s.opt_instant()?),
                10 => {
                    shipping_method = Some(s.str()?);
                }
                11 => {
                    promised = Some(if s.null() { None } else { Some(s.u32()?) });
                }
                12 => {
                    destination_country = Some(s.str()?);
                }
                13 => tracking = Some(s.tracking()?),
                14 => {
                    receipt = Some(if s.null() { None } else { Some(s.receipt()?) });
                }
                15 => {
                    let mut v = Vec::new();
                    s.array(|s| {
                        v.push(s.extension()?);
                        Some(())
                    })?;
                    extensions = Some(v);
                }
                16 => {
                    order_cancelled_at = Some(s.opt_instant()?);
                }
                17 => {
                    refund_completed_at = Some(s.opt_instant()?);
                }
                18 => {
                    let mut v = Vec::new();
                    s.array(|s| {
                        v.push(s.dispute()?);
                        Some(())
                    })?;
                    disputes = Some(v);
                }
                19 => {
                    payment_method = Some(match s.str()? {
                        "card" => PaymentMethod::Card,
                        "wallet" => PaymentMethod::Wallet,
                        "paypal" => PaymentMethod::Paypal,
                        "cash_payment" => PaymentMethod::CashPayment,
                        "western_union" => PaymentMethod::WesternUnion,
                        "tt" => PaymentMethod::Tt,
                        "bank_transfer" => PaymentMethod::BankTransfer,
                        "other" => PaymentMethod::Other,
                        _ => return None,
                    });
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(OrderFacts {
            schema_version: schema_version?,
            order_id: order_id?.to_owned(),
            line_id: line_id?.to_owned(),
            unit_price: unit_price?,
            quantity: quantity?,
            shipping_cost: shipping_cost?,
            coupon: coupon.flatten(),
            placed_at: placed_at?,
            paid_at: paid_at.flatten(),
            shipped_at: shipped_at.flatten(),
            shipping_method: shipping_method?.to_owned(),
            promised_protection_days: promised.flatten(),
            destination_country: destination_country?.to_owned(),
            tracking: tracking.unwrap_or_default(),
            receipt: receipt.flatten(),
            extensions: extensions.unwrap_or_default(),
            order_cancelled_at: order_cancelled_at.flatten(),
            refund_completed_at: refund_completed_at.flatten(),
            disputes: disputes.unwrap_or_default(),
            payment_method: payment_method?,
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the usual form of an instant, read directly: the
/// instant RFC 3339 reading gives, or `None` for anything else.
pub(crate) fn utc_instant(b: &[u8]) -> Option<DateTime<Utc>> {
    let d = |i: usize| -> Option<u32> {
        let c = b.get(i)?.wrapping_sub(b'0');
        (c < 10).then_some(u32::from(c))
    };
    let two = |i: usize| -> Option<u32> { Some(d(i)? * 10 + d(i + 1)?) };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if b.len() != 20
        || !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':'))
        || !sep(19, b'Z')
    {
        return None;
    }
    let year = i32::try_from(two(0)? * 100 + two(2)?).ok()?;
    let (sec, min, hour) = (two(17)?, two(14)?, two(11)?);
    // A leap second (60) is not taken here: it is left to the RFC 3339 reader.
    if sec > 59 {
        return None;
    }
    Some(
        chrono::NaiveDate::from_ymd_opt(year, two(5)?, two(8)?)?
            .and_hms_opt(hour, min, sec)?
            .and_utc(),
    )
}

/// The facts' keys, in the order of the struct (the usual order).
const FACT_KEYS: [&str; 20] = [
    "schema_version",
    "order_id",
    "line_id",
    "unit_price",
    "quantity",
    "shipping_cost",
    "coupon",
    "placed_at",
    "paid_at",
    "shipped_at",
    "shipping_method",
    "promised_protection_days",
    "destination_country",
    "tracking",
    "receipt",
    "extensions",
    "order_cancelled_at",
    "refund_completed_at",
    "disputes",
    "payment_method",
];

/// The facts of a JSON text in the common form, or `None` to leave it to
/// serde.
pub(crate) fn parse(json: &str) -> Option<OrderFacts> {
    let mut s = Scan::new(json);
    let facts = s.facts()?;
    s.at_end().then_some(facts)
}
