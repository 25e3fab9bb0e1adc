//! Lifecycle event sequences: a dispute opened on one of the sample orders
//! (an instant in its dispute window, a claim), then a sequence of steps
//! decoded with `arbitrary`: events applied, the clock advanced, the allowed
//! actions and the summary asked for.
//!
//! After every step: a refused event leaves the dispute unchanged; an
//! accepted one joins the history and was among the allowed actions; the
//! dispute's JSON loads back (replaying its history) to the same dispute;
//! `advance` leaves no automatic deadline passed; every instant written
//! parses back; answers are deterministic.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Duration, Utc};
use dispute_rules::lifecycle::{
    Action, Actor, ClaimRequest, DeadlineKind, Event, Proposal, Ruling,
};
use dispute_rules::reasons::{Reason, Solution};
use dispute_rules::{eligibility, Dispute, Error, Explain, Money, OrderFacts, Policy};
use dispute_rules_fuzz::{check_error, check_instants, deterministic, latest_instant};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use std::sync::OnceLock;

const SAMPLES: &[&str] = &[
    include_str!("../../examples/data/requests/buyer_remorse.json"),
    include_str!("../../examples/data/requests/cancelled_reopen.json"),
    include_str!("../../examples/data/requests/counterfeit.json"),
    include_str!("../../examples/data/requests/customs_hold.json"),
    include_str!("../../examples/data/requests/damaged.json"),
    include_str!("../../examples/data/requests/delivered_not_received.json"),
    include_str!("../../examples/data/requests/not_received_no_tracking.json"),
    include_str!("../../examples/data/requests/pending_extension.json"),
    include_str!("../../examples/data/requests/quantity_shortage.json"),
];

const DEADLINES: [DeadlineKind; 10] = [
    DeadlineKind::SellerResponse,
    DeadlineKind::RefundDue,
    DeadlineKind::TurnLapse,
    DeadlineKind::NoAgreement,
    DeadlineKind::ReturnShipment,
    DeadlineKind::ReturnReceipt,
    DeadlineKind::DecisionDue,
    DeadlineKind::AppealWindow,
    DeadlineKind::AppealRuling,
    DeadlineKind::ReopenWindow,
];

/// The sample orders' facts, with the latest instant each mentions.
fn samples() -> &'static [(OrderFacts, DateTime<Utc>)] {
    static S: OnceLock<Vec<(OrderFacts, DateTime<Utc>)>> = OnceLock::new();
    S.get_or_init(|| {
        SAMPLES
            .iter()
            .map(|r| {
                let v: serde_json::Value = serde_json::from_str(r).expect("a sample request");
                let f = OrderFacts::from_json(&v["facts"].to_string()).expect("sample facts");
                let latest = latest_instant(&v["facts"]).expect("an instant");
                (f, latest)
            })
            .collect()
    })
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Amount {
    Cap,
    Half,
    Zero,
    Cents(u32),
    Exact(i64, u8),
    AboveCap,
    OtherCurrency,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct ClaimIn {
    reason: u8,
    refund_only: bool,
    amount: Amount,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum When {
    Same,
    AtDeadline,
    Seconds(u32),
    Days(u16),
    Earlier(u32),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum ActionIn {
    Open(ClaimIn),
    Accept,
    Refuse,
    CounterOffer(bool, Amount),
    AcceptOffer,
    RejectOffer,
    ModifyClaim(ClaimIn),
    AddEvidence,
    Escalate,
    ShipReturn,
    ConfirmReturnReceived,
    Decide(Amount, bool),
    Appeal,
    FinalRuling(Amount, bool),
    Cancel,
    Reopen(Option<ClaimIn>),
    /// 0: the deadline due now; else one of [`DEADLINES`].
    Timeout(u8),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Step {
    Apply(When, u8, ActionIn),
    Advance(When),
    Allowed(When, u8),
    Summary(When, bool),
}

#[derive(Arbitrary, Debug)]
struct Input {
    sample: u8,
    legacy: bool,
    /// Where in the dispute window to open (a fraction of it).
    open_at: u16,
    claim: ClaimIn,
    steps: Vec<Step>,
}

struct Ctx {
    cap: Money,
}

impl Ctx {
    fn money(&self, a: Amount) -> Money {
        let c = self.cap;
        let amount = match a {
            Amount::Cap => c.amount,
            Amount::Half => c.amount / Decimal::TWO,
            Amount::Zero => Decimal::ZERO,
            Amount::Cents(n) => Decimal::new(i64::from(n), 2),
            Amount::Exact(m, s) => Decimal::try_new(m, u32::from(s % 29)).unwrap_or_default(),
            Amount::AboveCap => c.amount + Decimal::new(1, 2),
            Amount::OtherCurrency => {
                let other = if c.currency.as_str() == "EUR" {
                    "USD"
                } else {
                    "EUR"
                };
                return Money::parse("1", other).expect("money");
            }
        };
        Money::new(amount, c.currency)
    }

    fn claim(&self, c: ClaimIn) -> ClaimRequest {
        ClaimRequest {
            reason: Reason::ALL[usize::from(c.reason) % Reason::ALL.len()],
            solution: if c.refund_only {
                Solution::RefundOnly
            } else {
                Solution::ReturnAndRefund
            },
            refund: self.money(c.amount),
        }
    }

    fn action(&self, d: &Dispute, a: ActionIn) -> Action {
        let ruling = |amount, return_goods| Ruling {
            refund: self.money(amount),
            return_goods,
        };
        match a {
            ActionIn::Open(c) => Action::Open {
                claim: self.claim(c),
            },
            ActionIn::Accept => Action::Accept,
            ActionIn::Refuse => Action::Refuse,
            ActionIn::CounterOffer(refund_only, amount) => Action::CounterOffer {
                offer: Proposal {
                    solution: if refund_only {
                        Solution::RefundOnly
                    } else {
                        Solution::ReturnAndRefund
                    },
                    refund: self.money(amount),
                },
            },
            ActionIn::AcceptOffer => Action::AcceptOffer,
            ActionIn::RejectOffer => Action::RejectOffer,
            ActionIn::ModifyClaim(c) => Action::ModifyClaim {
                claim: self.claim(c),
            },
            ActionIn::AddEvidence => Action::AddEvidence,
            ActionIn::Escalate => Action::Escalate,
            ActionIn::ShipReturn => Action::ShipReturn,
            ActionIn::ConfirmReturnReceived => Action::ConfirmReturnReceived,
            ActionIn::Decide(amount, r) => Action::Decide {
                ruling: ruling(amount, r),
            },
            ActionIn::Appeal => Action::Appeal,
            ActionIn::FinalRuling(amount, r) => Action::FinalRuling {
                ruling: ruling(amount, r),
            },
            ActionIn::Cancel => Action::Cancel,
            ActionIn::Reopen(c) => Action::Reopen {
                claim: c.map(|c| self.claim(c)),
            },
            ActionIn::Timeout(0) => Action::Timeout {
                deadline: d
                    .next_deadline()
                    .map_or(DeadlineKind::SellerResponse, |x| x.kind),
            },
            ActionIn::Timeout(i) => Action::Timeout {
                deadline: DEADLINES[usize::from(i) % DEADLINES.len()],
            },
        }
    }
}

fn when(d: &Dispute, w: When) -> DateTime<Utc> {
    let last = d.last_at();
    let t = match w {
        When::Same => Some(last),
        When::AtDeadline => d.next_deadline().map(|x| x.at.utc),
        When::Seconds(s) => last.checked_add_signed(Duration::seconds(i64::from(s))),
        When::Days(n) => last.checked_add_signed(Duration::days(i64::from(n))),
        When::Earlier(s) => last.checked_sub_signed(Duration::seconds(i64::from(s))),
    };
    t.unwrap_or(last)
}

fn actor(b: u8) -> Actor {
    Actor::ALL[usize::from(b) % Actor::ALL.len()]
}

/// The refusal of an event: a transition error, or a problem with its data
/// naming the field.
fn check_refusal(e: &Error) {
    check_error(e, false);
}

/// Checks that hold after every step.
fn check_dispute(d: &Dispute) {
    let json = d.to_json();
    let back = Dispute::from_json(&json)
        .unwrap_or_else(|e| panic!("the dispute does not load back ({e}): {json}"));
    assert_eq!(&back, d, "the dispute changed through JSON: {json}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    check_instants(&v);
    let h = d.history();
    assert!(
        h.windows(2).all(|w| w[0].at <= w[1].at),
        "history out of order: {json}"
    );
    assert_eq!(h.last().map(|e| e.at), Some(d.last_at()));
}

fuzz_target!(|input: Input| {
    let samples = samples();
    let (facts, latest) = &samples[usize::from(input.sample) % samples.len()];
    let policy = Policy::preset_ref(if input.legacy {
        "aliexpress-legacy"
    } else {
        "aliexpress"
    })
    .expect("a preset");
    let Some(cap) = facts.refund_cap() else {
        return;
    };
    let ctx = Ctx { cap };

    // Open at a point of the dispute window (not before the latest fact).
    let e = eligibility::assess(facts, policy, *latest, Explain::No).expect("sample facts assess");
    let Some(w) = e.window else {
        return;
    };
    let span = (w.closes_at.utc - w.opens_at.utc).num_seconds().max(0);
    let offset = span * i64::from(input.open_at) / 65536;
    let opened = (w.opens_at.utc + Duration::seconds(offset)).max(*latest);
    let claim = ctx.claim(input.claim);
    let mut d = match deterministic(|| Dispute::open(facts, policy, claim, opened)) {
        Ok(d) => d,
        Err(e) => return check_refusal(&e),
    };
    check_dispute(&d);

    for step in input.steps.iter().take(48) {
        match *step {
            Step::Apply(w, who, a) => {
                let at = when(&d, w);
                let event = Event::new(at, actor(who), ctx.action(&d, a));
                let allowed = d.allowed_actions(event.actor, at);
                let before = d.clone();
                let r = {
                    let mut twin = d.clone();
                    let r2 = twin.apply(event);
                    let r1 = d.apply(event);
                    assert_eq!(r1, r2, "apply is not deterministic");
                    assert_eq!(twin, d, "apply is not deterministic");
                    r1
                };
                match r {
                    Err(e) => {
                        check_refusal(&e);
                        assert_eq!(d, before, "a refused event changed the dispute");
                    }
                    Ok(()) => {
                        assert_eq!(d.history().len(), before.history().len() + 1);
                        assert_eq!(d.history().last(), Some(&event));
                        assert!(
                            allowed.contains(event.kind()),
                            "`{}` by `{}` was accepted but not among the allowed actions {:?}",
                            event.kind(),
                            event.actor,
                            allowed.iter().collect::<Vec<_>>()
                        );
                    }
                }
            }
            Step::Advance(w) => {
                let now = when(&d, w);
                let before = d.history().len();
                let n = d.advance(now);
                assert_eq!(d.history().len(), before + n);
                if let Some(next) = d.next_deadline() {
                    let in_range = (1970..=9999).contains(&chrono::Datelike::year(&next.at.utc));
                    assert!(
                        !(next.automatic && next.at.utc <= now && in_range && !d.is_terminal()),
                        "advance to {now} left the {} deadline of {} passed",
                        next.kind,
                        next.at.utc
                    );
                }
            }
            Step::Allowed(w, who) => {
                let now = when(&d, w);
                deterministic(|| d.allowed_actions(actor(who), now));
            }
            Step::Summary(w, explain) => {
                let now = when(&d, w);
                let s = deterministic(|| {
                    serde_json::to_string(&d.summary(now, Explain::from(explain)))
                        .expect("a summary serializes")
                });
                check_instants(&serde_json::from_str(&s).expect("JSON"));
            }
        }
        check_dispute(&d);
    }
});
