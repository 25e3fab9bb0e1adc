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

/// The index of the first byte from `i` on that ends a plain string run
/// (`"`, `\\` or a control character); `None` if there is none.
#[inline]
fn stop(b: &[u8], mut i: usize) -> Option<usize> {
    // Eight bytes at a time: the lowest flagged byte of a word is exact
    // (a false flag can only follow a true one).
    while let Some(w) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let flags = string_stops(u64::from_le_bytes(w));
        if flags != 0 {
            return Some(i + (flags.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    while !matches!(b.get(i)?, b'"' | b'\\' | 0..=0x1f) {
        i += 1;
    }
    Some(i)
}

/// Whether `a` and `b` are the same bytes: a key compared eight bytes at a
/// time, without a call.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let word = |s: &[u8], i: usize| {
        s.get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_le_bytes)
    };
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

impl<'a> Scan<'a> {
    pub(crate) fn new(s: &'a str) -> Scan<'a> {
        Scan { s, i: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    fn ws(&mut self) {
        let b = self.bytes();
        let mut i = self.i;
        while let Some(&c @ (b' ' | b'\n' | b'\r' | b'\t')) = b.get(i) {
            i += 1;
            if c != b'\n' {
                continue;
            }
            // Indentation after a line break: the spaces of a word counted
            // at once.
            while let Some(w) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
                let other = u64::from_le_bytes(w) ^ (ONES * u64::from(b' '));
                if other != 0 {
                    i += (other.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
        }
        self.i = i;
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
        let i = stop(b, start)?;
        if b.get(i) != Some(&b'"') {
            return None;
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

    /// The index in `keys` of the next key: `guess` tried first, then the
    /// keys after it (an optional field left out), then those before.
    fn key(&mut self, keys: &[&str], guess: usize) -> Option<usize> {
        self.ws();
        let b = self.bytes();
        if let Some(k) = keys.get(guess) {
            let k = k.as_bytes();
            let (start, end) = (self.i + 1, self.i + 1 + k.len());
            if b.get(self.i) == Some(&b'"')
                && b.get(end) == Some(&b'"')
                && b.get(start..end).is_some_and(|name| same(name, k))
            {
                self.i = end + 1;
                return Some(guess);
            }
        }
        let name = self.str()?;
        let after = keys.get(guess..).unwrap_or_default();
        let name = name.as_bytes();
        match after.iter().position(|k| same(k.as_bytes(), name)) {
            Some(j) => Some(guess + j),
            None => keys
                .iter()
                .take(guess)
                .position(|k| same(k.as_bytes(), name)),
        }
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

    /// One JSON value at the scanner's position, moved past and given as
    /// serde_json's raw value (the text from the value's first byte to its
    /// last, as serde_json borrows it). The value is checked as serde_json
    /// checks a value it skips; `None` (leaving the text to serde_json) on
    /// nesting deeper than 100 or anything wrong.
    #[inline]
    pub(crate) fn raw(&mut self) -> Option<&'a serde_json::value::RawValue> {
        self.ws();
        let start = self.i;
        self.skip_value()?;
        raw_value(self.s.get(start..self.i)?)
    }

    /// Moves past one JSON value (see [`Scan::raw`]).
    fn skip_value(&mut self) -> Option<()> {
        const MAX_DEPTH: u32 = 100;
        // Bit `d` set: the container at depth `d` is an object.
        let mut objects: u128 = 0;
        let mut depth: u32 = 0;
        loop {
            // At a value.
            match self.peek()? {
                open @ (b'{' | b'[') => {
                    self.i += 1;
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek()? == close {
                        self.i += 1;
                    } else {
                        if depth >= MAX_DEPTH {
                            return None;
                        }
                        if open == b'{' {
                            objects |= 1 << depth;
                            self.skip_str()?;
                            self.eat(b':')?;
                        } else {
                            objects &= !(1 << depth);
                        }
                        depth += 1;
                        continue;
                    }
                }
                b'"' => {
                    self.skip_str()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => self.number()?,
            }
            // After a value: the end of containers, or the next element.
            loop {
                let Some(d) = depth.checked_sub(1) else {
                    return Some(());
                };
                let object = (objects >> d) & 1 == 1;
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        if object {
                            self.skip_str()?;
                            self.eat(b':')?;
                        }
                        break;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    _ => return None,
                }
                self.i += 1;
                depth = d;
            }
        }
    }

    /// Moves past a string, escapes and all, checked as serde_json checks
    /// one it skips (an escape is one of `\" \\ \/ \b \f \n \r \t` or
    /// `\u` and four hex digits; no control character).
    fn skip_str(&mut self) -> Option<()> {
        self.eat(b'"')?;
        let b = self.bytes();
        let mut i = self.i;
        loop {
            i = stop(b, i)?;
            match *b.get(i)? {
                b'"' => break,
                b'\\' => {
                    i += match *b.get(i + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 2,
                        b'u' if b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => 6,
                        _ => return None,
                    };
                }
                _ => return None,
            }
        }
        self.i = i + 1;
        Some(())
    }

    /// `word` (the scanner at its first byte).
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.bytes().get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A JSON number (the scanner at its first byte), checked as serde_json
    /// checks one it skips.
    fn number(&mut self) -> Option<()> {
        let b = self.bytes();
        let mut i = self.i;
        let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i)? {
            b'0' => {
                i += 1;
                if digit(i) {
                    return None;
                }
            }
            b'1'..=b'9' => {
                while digit(i) {
                    i += 1;
                }
            }
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digit(i) {
                return None;
            }
            while digit(i) {
                i += 1;
            }
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            if !digit(i) {
                return None;
            }
            while digit(i) {
                i += 1;
            }
        }
        self.i = i;
        Some(())
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

/// A claim in the common form (see [`Scan`]), or `None` to leave it to
/// serde: the same value serde reads whenever it answers (a test compares
/// the two).
pub(crate) fn claim(json: &str) -> Option<crate::reasons::Claim> {
    let mut s = Scan::new(json);
    let claim = s.claim()?;
    s.at_end().then_some(claim)
}

impl Scan<'_> {
    /// A plain whole number (digits only, no leading zero) that fits a `u64`.
    fn u64(&mut self) -> Option<u64> {
        self.ws();
        let b = self.bytes();
        let start = self.i;
        let mut v: u64 = 0;
        while let Some(d) = b.get(self.i).filter(|c| c.is_ascii_digit()) {
            v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.i += 1;
        }
        let len = self.i - start;
        let leading_zero = len > 1 && b.get(start) == Some(&b'0');
        let continues = matches!(b.get(self.i), Some(b'.' | b'e' | b'E'));
        (len > 0 && !leading_zero && !continues).then_some(v)
    }

    fn attachment(&mut self) -> Option<crate::reasons::Attachment> {
        use crate::reasons::{AttachmentKind, EvidenceKind};
        let (mut kind, mut file_name, mut format, mut size_bytes, mut shows) =
            (None, None, None, None, None);
        self.fields(
            &["kind", "file_name", "format", "size_bytes", "shows"],
            |s, key| {
                match key {
                    0 => {
                        kind = Some(match s.str()? {
                            "image" => AttachmentKind::Image,
                            "video" => AttachmentKind::Video,
                            "document" => AttachmentKind::Document,
                            _ => return None,
                        });
                    }
                    1 => file_name = Some(s.str()?),
                    2 => format = Some(s.str()?),
                    3 => size_bytes = Some(s.u64()?),
                    _ => shows = Some(EvidenceKind::from_code(s.str()?)?),
                }
                Some(())
            },
        )?;
        Some(crate::reasons::Attachment {
            kind: kind?,
            file_name: file_name?.to_owned(),
            format: format?.to_owned(),
            size_bytes: size_bytes?,
            shows: shows?,
        })
    }

    fn claim(&mut self) -> Option<crate::reasons::Claim> {
        use crate::reasons::{Claim, Reason, RefundType, Solution};
        let (mut reason, mut solution, mut refund) = (None, None, None);
        let mut refund_type = None;
        let mut evidence = Vec::new();
        self.fields(
            &["reason", "solution", "refund", "refund_type", "evidence"],
            |s, key| {
                match key {
                    0 => reason = Some(Reason::from_code(s.str()?)?),
                    1 => solution = Some(Solution::from_code(s.str()?)?),
                    2 => refund = Some(s.money()?),
                    3 => {
                        if !s.null() {
                            refund_type = Some(match s.str()? {
                                "full" => RefundType::Full,
                                "partial" => RefundType::Partial,
                                _ => return None,
                            });
                        }
                    }
                    _ => s.array(|s| {
                        evidence.push(s.attachment()?);
                        Some(())
                    })?,
                }
                Some(())
            },
        )?;
        let mut claim = Claim::new(reason?, solution?, refund?).with_evidence(evidence);
        claim.refund_type = refund_type;
        Some(claim)
    }
}

/// serde_json's raw value borrowing `json` (JSON text already checked):
/// made the way serde_json makes one, through the map of one entry its raw
/// value asks a deserializer for. `None` if serde_json's raw value should
/// ever ask for something else (the caller then reads with serde_json).
fn raw_value(json: &str) -> Option<&serde_json::value::RawValue> {
    use serde::de::value::{BorrowedStrDeserializer, Error};
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
    use serde::forward_to_deserialize_any;

    /// A deserializer giving the text as serde_json's raw value map.
    struct Text<'a>(&'a str);
    /// The one entry: key the name serde_json asked for, value the text.
    struct Entry<'a> {
        name: Option<&'static str>,
        text: &'a str,
    }

    impl<'de> MapAccess<'de> for Entry<'de> {
        type Error = Error;
        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            match self.name.take() {
                Some(name) => seed
                    .deserialize(BorrowedStrDeserializer::new(name))
                    .map(Some),
                None => Ok(None),
            }
        }
        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            seed.deserialize(BorrowedStrDeserializer::new(self.text))
        }
    }

    impl<'de> Deserializer<'de> for Text<'de> {
        type Error = Error;
        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
            Err(serde::de::Error::custom("not a raw value"))
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_map(Entry {
                name: Some(name),
                text: self.0,
            })
        }
        forward_to_deserialize_any! {
            bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
            bytes byte_buf map struct option unit ignored_any
            unit_struct tuple_struct tuple enum identifier
        }
    }

    let raw: &serde_json::value::RawValue = serde::Deserialize::deserialize(Text(json)).ok()?;
    (raw.get().len() == json.len()).then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::value::RawValue;

    /// The raw value of `{"a": TEXT}` as serde_json reads it.
    fn serde_raw(text: &str) -> Option<String> {
        let doc = format!("{{\"a\": {text}}}");
        let v: std::collections::BTreeMap<&str, &RawValue> = serde_json::from_str(&doc).ok()?;
        Some(v.get("a")?.get().to_owned())
    }

    /// The same, read by the scanner.
    fn scan_raw(text: &str) -> Option<String> {
        let doc = format!("{{\"a\": {text}}}");
        let mut s = Scan::new(&doc);
        let mut raw = None;
        s.fields(&["a"], |s, _| {
            raw = Some(s.raw()?.get().to_owned());
            Some(())
        })?;
        s.at_end().then_some(raw)?
    }

    #[test]
    fn keys_are_compared_whole() {
        let words = [
            "",
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "abcdefgx",
            "abcdefghi",
            "xbcdefghi",
        ];
        let long = [
            "promised_protection_days",
            "promised_protection_dayz",
            "Promised_protection_days",
        ];
        for set in [&words[..], &long[..]] {
            for a in set {
                for b in set {
                    assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b, "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn raw_values_are_what_serde_json_borrows() {
        for text in [
            r#"{"reason": "x", "evidence": [{"a": 1, "b": [true, false, null]}, {}], "n": -0.5e+3}"#,
            "  [ ]  ",
            "{}",
            "\"caf\u{e9} \u{1f389}\"",
            "0",
            "-12.25E7",
            r#"["a \"quoted\"\nname \\ \/ \b\f\r\t \u00e9\uD83C\udf89"]"#,
            "[[[[1]]],{\"k\":{\"k\":[]}}]",
        ] {
            assert_eq!(scan_raw(text), serde_raw(text), "{text}");
            assert!(scan_raw(text).is_some(), "{text}");
        }
        // Wrong JSON: no raw value.
        for text in [
            "",
            "[1,]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "nul",
            "[1 2]",
            "{1:2}",
            "\"a\u{1}\"",
            "\"a\\x\"",
            "\"\\u12g4\"",
            "\"\\u12\"",
            "[}",
            "{]",
            "\"open",
            "nulla",
        ] {
            assert_eq!(scan_raw(text), None, "{text}");
        }
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(scan_raw(&deep(101)), None);
        assert!(scan_raw(&deep(100)).is_some());
        assert_eq!(scan_raw(&deep(100)), serde_raw(&deep(100)));
    }

    /// The claim read by the scanner is serde's, whenever it answers.
    fn claim_agrees(text: &str) -> bool {
        let fast = claim(text);
        if let Some(c) = &fast {
            let slow: crate::reasons::Claim = serde_json::from_str(text).unwrap();
            assert_eq!(c, &slow, "{text}");
        }
        fast.is_some()
    }

    #[test]
    fn claims_are_read_as_serde_reads_them() {
        let att = r#"{"kind": "image", "file_name": "a b.png", "format": "png", "size_bytes": 1000, "shows": "item_photo"}"#;
        let read = [
            r#"{"reason":"received.damaged","solution":"refund_only","refund":{"amount":"1.50","currency":"USD"}}"#.to_owned(),
            format!(r#" {{ "evidence" : [ {att} , {att} ] , "refund_type": "partial", "reason": "received.damaged", "solution": "return_and_refund", "refund": {{"currency": "EUR", "amount": "0"}} }} "#),
            r#"{"reason":"not_received.no_tracking","solution":"refund_only","refund":{"amount":"19.99","currency":"USD"},"refund_type":null,"evidence":[]}"#.to_owned(),
            r#"{"reason":"received.damaged","solution":"refund_only","refund":{"amount":"1","currency":"KRW"},"refund_type":"full","evidence":[{"shows":"unboxing_video","size_bytes":0,"format":"MP4","file_name":"","kind":"video"}]}"#.to_owned(),
            r#"{"reason":"received.damaged","solution":"refund_only","refund":{"amount":"1","currency":"USD"},"evidence":[{"kind":"document","file_name":"é 🎉","format":"pdf","size_bytes":18446744073709551615,"shows":"postal_proof"}]}"#.to_owned(),
        ];
        for text in &read {
            assert!(claim_agrees(text), "{text}");
        }
        // Every claim of the sample requests, as written there.
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/requests");
        let mut claims = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let req: std::collections::BTreeMap<&str, &RawValue> =
                serde_json::from_str(&text).unwrap();
            if let Some(c) = req.get("claim") {
                assert!(claim_agrees(c.get()), "{}", c.get());
                claims += 1;
            }
        }
        assert!(claims >= 8, "{claims}");
        // Left to serde (which may accept or refuse them).
        let base = r#"{"reason":"received.damaged","solution":"refund_only","refund":{"amount":"1.50","currency":"USD"}"#;
        let left = [
            format!("{base}}} x"),
            format!(r#"{base},"reason":"received.damaged"}}"#),
            format!(r#"{base},"other":1}}"#),
            format!(r#"{base},"evidence":null}}"#),
            format!(r#"{base},"refund_type":"half"}}"#),
            format!(r#"{base},"evidence":[{{"kind":"image","file_name":"a\\\"b","format":"png","size_bytes":1,"shows":"item_photo"}}]}}"#),
            format!(r#"{base},"evidence":[{{"kind":"image","file_name":"a","format":"png","size_bytes":1.0,"shows":"item_photo"}}]}}"#),
            format!(r#"{base},"evidence":[{{"kind":"image","file_name":"a","format":"png","size_bytes":01,"shows":"item_photo"}}]}}"#),
            format!(r#"{base},"evidence":[{{"kind":"image","file_name":"a","format":"png","size_bytes":18446744073709551616,"shows":"item_photo"}}]}}"#),
            format!(r#"{base},"evidence":[{{"kind":"image","file_name":"a","format":"png","size_bytes":-1,"shows":"item_photo"}}]}}"#),
            format!(r#"{base},"evidence":[{{"kind":"image","file_name":"a","format":"png","shows":"item_photo"}}]}}"#),
            format!(r#"{base},"evidence":[{{"kind":"audio","file_name":"a","format":"png","size_bytes":1,"shows":"item_photo"}}]}}"#),
            format!(r#"{base},"evidence":[{{"kind":"image","file_name":"a","format":"png","size_bytes":1,"shows":"nothing"}}]}}"#),
            r#"{"reason":"received.damaged","solution":"refund_only","refund":{"amount":1.5,"currency":"USD"}}"#.to_owned(),
            r#"{"reason":"received.damaged","solution":"refund_only","refund":{"amount":"1.50","currency":"usd"}}"#.to_owned(),
            r#"{"reason":"received.damaged","solution":"refund_only"}"#.to_owned(),
            r#"{"reason":"received.nothing","solution":"refund_only","refund":{"amount":"1.50","currency":"USD"}}"#.to_owned(),
            r#"{"reason":"received.damaged","solution":"refund","refund":{"amount":"1.50","currency":"USD"}}"#.to_owned(),
            r#"{"reason":"received\u002edamaged","solution":"refund_only","refund":{"amount":"1.50","currency":"USD"}}"#.to_owned(),
        ];
        for text in &left {
            assert!(!claim_agrees(text), "{text}");
        }
    }

    proptest! {
        #[test]
        fn claims_cut_or_spoiled_are_read_only_as_serde_reads_them(
            cut in 0usize..400, junk in "[ \\\\\\[\\]{}:,\"0-9a-z.\\-]{0,3}", keep in 0usize..400,
        ) {
            let text = r#"{"reason": "received.damaged", "solution": "return_and_refund", "refund": {"amount": "12.50", "currency": "USD"}, "refund_type": "partial", "evidence": [{"kind": "image", "file_name": "a.png", "format": "png", "size_bytes": 1000, "shows": "damage_photo"}, {"kind": "video", "file_name": "u.mp4", "format": "mp4", "size_bytes": 20, "shows": "unboxing_video"}]}"#;
            prop_assert!(claim_agrees(text));
            let at = cut.min(text.len());
            let spoiled = format!("{}{junk}{}", &text[..at], &text[keep.max(at).min(text.len())..]);
            claim_agrees(&spoiled);
        }
    }

    fn json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
            "\"([a-z \u{e9}]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}){0,6}\"",
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(" , "))),
                prop::collection::vec(("[a-z]{0,3}", inner), 0..4).prop_map(|v| {
                    let fields: Vec<String> = v
                        .into_iter()
                        .map(|(k, v)| format!("\"{k}\" :{v}"))
                        .collect();
                    format!("{{ {} }}", fields.join(","))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn raw_values_agree_with_serde_json(
            v in json(),
            cut in 0usize..64,
            junk in "[ \\[\\]{}:,\"0-9a-z.\\-]{0,3}",
        ) {
            // Whole values are read; values cut short or spoiled are read
            // only as serde_json reads them.
            prop_assert!(scan_raw(&v).is_some());
            prop_assert_eq!(scan_raw(&v), serde_raw(&v));
            let at = (0..=cut.min(v.len())).rev().find(|&i| v.is_char_boundary(i)).unwrap_or(0);
            let mut spoiled = v.clone();
            spoiled.insert_str(at, &junk);
            if let Some(found) = scan_raw(&spoiled) {
                prop_assert_eq!(Some(found), serde_raw(&spoiled));
            }
            let short = v.get(..at).unwrap_or("");
            if let Some(found) = scan_raw(short) {
                prop_assert_eq!(Some(found), serde_raw(short));
            }
        }
    }
}
