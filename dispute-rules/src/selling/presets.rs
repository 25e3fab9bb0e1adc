//! The built-in selling-side presets, one per platform. Every value carries
//! its rule id, the grade of its source and the project's confidence; the
//! notes record conflicts and older values. `docs/selling-side.md` lists the
//! public sources by address.

use super::holidays::{BusinessDays, Holiday, HolidayCalendar, HolidayDate, Observance, Weekday};
use super::policy::{
    Anchor, Charged, Confidence, Count, DateReading, Deadline, DeadlineKind, EvidenceItem, Family,
    Fee, FeeKind, FilingWindow, Flag, Grade, Loss, Network, NetworkCode, Offset, Platform,
    PlatformDue, Protection, ReasonCode, SellingPolicy, Source, Stage, Threshold, Tier, Unit,
    Waiver, Waivers, Zone, SELLING_POLICY_SCHEMA_VERSION,
};
use super::rules::SellingRule as R;
use crate::money::{Currency, Money};
use crate::reasons::Reason;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use Confidence::{Assumption, High, Low, Medium};
use Grade::{Mirror, Official, ThirdParty, Unsourced};

fn src(rule: R, grade: Grade, confidence: Confidence) -> Source {
    Source::new(rule, grade, confidence)
}

fn days(from: Anchor, n: u32, count: Count, source: Source) -> Offset {
    Offset::new(from, n, Unit::CalendarDays, count, source)
}

fn bdays(from: Anchor, n: u32, count: Count, source: Source) -> Offset {
    Offset::new(from, n, Unit::BusinessDays, count, source)
}

fn hours(from: Anchor, n: u32, source: Source) -> Offset {
    Offset::new(from, n, Unit::Hours, Count::Exact, source)
}

fn money(amount: i64, cents: u32, currency: &str) -> Money {
    Money::new(
        Decimal::new(amount * 100 + i64::from(cents), 2),
        Currency::new(currency).unwrap_or(Currency::USD),
    )
}

fn only(families: &[Family], kind: DeadlineKind, at: Offset) -> Deadline {
    Deadline {
        kind,
        families: families.to_vec(),
        at,
    }
}

const NOT_RECEIVED: &[Reason] = &[
    Reason::NotReceivedTooLong,
    Reason::NotReceivedNoTracking,
    Reason::NotReceivedDeliveredNotReceived,
    Reason::NotReceivedReturnedToSeller,
    Reason::NotReceivedCustomsHold,
    Reason::NotReceivedWrongAddress,
];

const NOT_AS_DESCRIBED: &[Reason] = &[
    Reason::ReceivedNotAsDescribed,
    Reason::ReceivedQuality,
    Reason::ReceivedDamaged,
    Reason::ReceivedQuantityShortage,
    Reason::ReceivedMissingParts,
    Reason::ReceivedCounterfeit,
    Reason::ReceivedShippingMethod,
];

const NO_REFUND: &[Reason] = &[Reason::NotReceivedNoRefundAfterCancellation];

fn reason(code: &str, family: Family, supplier: &[Reason], source: &Source) -> ReasonCode {
    ReasonCode {
        code: code.to_owned(),
        family,
        supplier_reasons: supplier.to_vec(),
        source: source.clone(),
    }
}

fn evidence(
    id: &str,
    families: &[Family],
    text: &str,
    api_name: Option<&str>,
    source: Source,
) -> EvidenceItem {
    EvidenceItem {
        id: id.to_owned(),
        families: families.to_vec(),
        text: text.to_owned(),
        api_name: api_name.map(str::to_owned),
        source,
    }
}

fn utc(source: Source) -> Zone {
    Zone {
        name: chrono_tz::UTC,
        source,
    }
}

fn stage(
    name: &str,
    api: &str,
    families: &[Family],
    deadlines: Vec<Deadline>,
    source: Source,
) -> Stage {
    Stage {
        name: name.to_owned(),
        api_name: api.to_owned(),
        families: families.to_vec(),
        deadlines,
        source,
    }
}

// --- PayPal ---------------------------------------------------------------

/// PayPal disputes and claims.
pub(crate) fn paypal() -> SellingPolicy {
    use Family::{CreditNotProcessed, NotAsDescribed, NotReceived, Other, Unauthorized};
    let fallback = || {
        src(R::PL4, ThirdParty, Low).note(
            "no official text gives the figure; third parties agree on 10 days; \
             PayPal shows the real deadline, which always wins",
        )
    };
    let p_r1 = src(R::PR1, Mirror, Medium);
    let fee_source = || {
        src(R::PF3, ThirdParty, Low).note(
            "no official amount found; a third party reports USD 20 standard and USD 30 \
             high volume; an unsourced reading of the 2021 US schedule gives USD 15 standard",
        )
    };
    let standard_waivers = Waivers {
        list: vec![
            Waiver::NotEscalated,
            Waiver::ResolvedBetweenParties,
            Waiver::Unauthorized,
            Waiver::SellerProtection,
            Waiver::AmountBelowTwiceFee,
            Waiver::Won,
        ],
        source: src(R::PF2, Official, High).note("Seller Protection waives it too (P-F4)"),
    };
    SellingPolicy {
        schema_version: SELLING_POLICY_SCHEMA_VERSION,
        id: "paypal".into(),
        platform: Platform::Paypal,
        description: "PayPal disputes and claims (Buyer Protection), from PayPal's help pages, \
                      its disputes API and copies of its user agreement"
            .into(),
        time_zone: utc(src(R::PT1, Unsourced, Assumption).note(
            "PayPal gives instants (RFC 3339, UTC) and counts calendar days in no documented zone",
        )),
        default_country: "US".into(),
        windows: vec![FilingWindow {
            families: vec![],
            networks: vec![],
            opens: vec![],
            closes: vec![days(
                Anchor::Payment,
                180,
                Count::Exact,
                src(R::PW1, Official, Medium).note("older user agreements: 45 days"),
            )],
        }],
        stages: vec![
            stage(
                "inquiry",
                "INQUIRY",
                &[NotReceived, NotAsDescribed],
                vec![
                    Deadline::new(
                        DeadlineKind::SellerResponse,
                        days(Anchor::StageStart, 10, Count::Exact, fallback().note(
                            "no official figure for inquiries either; the claim stage's 10 days \
                             is used as the fallback; PayPal's seller_response_due_date always wins",
                        )),
                    ),
                    only(
                        &[NotReceived],
                        DeadlineKind::EscalationOpens,
                        days(
                            Anchor::Payment,
                            7,
                            Count::Exact,
                            src(R::PW3, Mirror, Medium),
                        ),
                    ),
                    Deadline::new(
                        DeadlineKind::EscalationCloses,
                        days(
                            Anchor::StageStart,
                            20,
                            Count::Exact,
                            src(R::PW2, Official, High),
                        ),
                    ),
                ],
                src(R::PW5, Official, High).note(
                    "a merchant may opt out of the inquiry stage; every dispute then starts as a claim",
                ),
            ),
            stage(
                "claim",
                "CHARGEBACK",
                &[],
                vec![
                    Deadline::new(
                        DeadlineKind::SellerResponse,
                        days(Anchor::StageStart, 10, Count::Exact, fallback()),
                    ),
                    Deadline::new(
                        DeadlineKind::PlatformDecision,
                        days(
                            Anchor::StageStart,
                            30,
                            Count::Exact,
                            src(R::PL5, Mirror, Low)
                                .note("old PayPal text: within 30 days, extendable"),
                        ),
                    ),
                ],
                src(R::PL1, Official, High).note(
                    "PayPal's API calls the claim stage CHARGEBACK; it is not a card chargeback",
                ),
            ),
            stage(
                "pre_arbitration",
                "PRE_ARBITRATION",
                &[],
                vec![],
                src(R::PL1, Official, High).note("the first appeal stage"),
            ),
            stage("arbitration", "ARBITRATION", &[], vec![], src(R::PL1, Official, High)),
        ],
        common_deadlines: vec![
            Deadline::new(
                DeadlineKind::OfferLapses,
                days(
                    Anchor::OfferMade,
                    10,
                    Count::Exact,
                    src(R::PW4, Official, Low).note("legacy help centre"),
                ),
            ),
            Deadline::new(
                DeadlineKind::AppealCloses,
                days(
                    Anchor::Closed,
                    10,
                    Count::Exact,
                    src(R::PF5, Official, High)
                        .note("only with new information; usually denied after two appeals"),
                ),
            ),
        ],
        platform_due: PlatformDue {
            field: "seller_response_due_date".into(),
            source: src(R::PL3, Mirror, Medium),
            date_reading: DateReading::EndOfDay,
            date_reading_source: src(R::PT1, Unsourced, Assumption)
                .note("PayPal gives a date-time; a bare date is read as the whole UTC day"),
            auto_submission: None,
        },
        business_days: None,
        reasons: vec![
            reason("MERCHANDISE_OR_SERVICE_NOT_RECEIVED", NotReceived, NOT_RECEIVED, &p_r1),
            reason(
                "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED",
                NotAsDescribed,
                NOT_AS_DESCRIBED,
                &p_r1,
            ),
            reason("UNAUTHORISED", Unauthorized, &[], &p_r1),
            reason("CREDIT_NOT_PROCESSED", CreditNotProcessed, NO_REFUND, &p_r1),
            reason("DUPLICATE_TRANSACTION", Other, &[], &p_r1),
            reason("INCORRECT_AMOUNT", Other, &[], &p_r1),
            reason("PAYMENT_BY_OTHER_MEANS", Other, &[], &p_r1),
            reason("CANCELED_RECURRING_BILLING", Other, &[], &p_r1),
            reason("PROBLEM_WITH_REMITTANCE", Other, &[], &p_r1),
            reason("OTHER", Other, &[], &p_r1),
        ],
        network_codes: vec![],
        seller_protection: Some(Protection {
            families: vec![NotReceived, Unauthorized],
            source: src(R::PR2, Official, High),
        }),
        evidence: vec![
            evidence(
                "tracking_online",
                &[NotReceived],
                "carrier tracking that can be checked online and shows delivery",
                Some("PROOF_OF_FULFILLMENT"),
                src(R::PV1, Official, High),
            ),
            evidence(
                "tracking_to_transaction_address",
                &[NotReceived],
                "the recipient's name and address in the tracking match the Transaction Details \
                 page; a redirected shipment loses Seller Protection",
                None,
                src(R::PV2, Mirror, Medium),
            ),
            evidence(
                "delivery_signature",
                &[NotReceived],
                "an online receipt with the recipient's signature when the order reaches the \
                 signature threshold",
                Some("PROOF_OF_DELIVERY_SIGNATURE"),
                src(R::PV1, Official, High),
            ),
            evidence(
                "item_description",
                &[NotAsDescribed],
                "the listing's description and photos of what was sent",
                Some("ITEM_DESCRIPTION"),
                src(R::PV3, Mirror, Medium),
            ),
            evidence(
                "return_tracking",
                &[NotAsDescribed],
                "PayPal usually asks the buyer to send the item back at their expense with \
                 proof of delivery: keep the return's tracking",
                None,
                src(R::PV4, Mirror, Low),
            ),
            evidence(
                "refund_proof",
                &[CreditNotProcessed],
                "the refund's transaction id",
                Some("PROOF_OF_REFUND"),
                src(R::PV3, Mirror, Medium),
            ),
        ],
        signature_thresholds: vec![Threshold {
            amount: money(750, 0, "USD"),
            source: src(R::PV1, Official, Medium).note(
                "older texts: USD 250; only the USD figure was found (other currencies: unknown)",
            ),
        }],
        fees: vec![
            Fee {
                kind: FeeKind::Dispute,
                tier: Some(Tier {
                    name: "standard".into(),
                    source: src(R::PF1, Official, High),
                }),
                stages: vec![],
                country: None,
                amount: money(20, 0, "USD"),
                since: None,
                charged: Charged::AfterDecision,
                returned_on_win: Flag {
                    value: false,
                    source: src(R::PF2, Official, High)
                        .note("not charged at all when decided for the seller (a waiver)"),
                },
                waived_when: standard_waivers,
                source: fee_source(),
            },
            Fee {
                kind: FeeKind::Dispute,
                tier: Some(Tier {
                    name: "high_volume".into(),
                    source: src(R::PF1, Official, High).note(
                        "more than 100 sales in the previous three full months and a dispute \
                         rate of 1.5% or more",
                    ),
                }),
                stages: vec![],
                country: None,
                amount: money(30, 0, "USD"),
                since: None,
                charged: Charged::AfterDecision,
                returned_on_win: Flag {
                    value: false,
                    source: src(R::PF2, Official, High),
                },
                waived_when: Waivers {
                    list: vec![Waiver::NotEscalated, Waiver::Unauthorized],
                    source: src(R::PF2, Official, Medium).note(
                        "only when resolved between the parties without escalation, or filed \
                         directly as unauthorized",
                    ),
                },
                source: fee_source(),
            },
        ],
        loss: Loss {
            text: "the amount the customer paid, plus the dispute fee; when Seller Protection \
                   applies PayPal covers the amount and waives the fee"
                .into(),
            source: src(R::PF4, Official, High),
        },
    }
}

// --- card networks (Stripe, Shopify Payments) -----------------------------

fn card_windows() -> Vec<FilingWindow> {
    let anchor_note = "sources disagree on the anchor (processing date or expected delivery \
                       date); the later of the two is adopted";
    vec![
        FilingWindow {
            families: vec![Family::NotReceived],
            networks: vec![Network::Visa],
            opens: vec![days(
                Anchor::PaymentWithoutExpectedDelivery,
                15,
                Count::Exact,
                src(R::SN2, ThirdParty, Low)
                    .note("only when no delivery date was given: the issuer waits 15 days"),
            )],
            closes: vec![
                days(
                    Anchor::LaterOfPaymentAndExpectedDelivery,
                    120,
                    Count::EndOfDay,
                    src(R::SN2, ThirdParty, Low).note(anchor_note),
                ),
                days(
                    Anchor::Payment,
                    540,
                    Count::EndOfDay,
                    src(R::SN2, ThirdParty, Low),
                ),
            ],
        },
        FilingWindow {
            families: vec![Family::NotAsDescribed],
            networks: vec![Network::Visa],
            opens: vec![],
            closes: vec![
                days(
                    Anchor::LaterOfPaymentAndDelivery,
                    120,
                    Count::EndOfDay,
                    src(R::SN3, ThirdParty, Low).note(
                        "from processing or from when the cardholder learned of the problem \
                         (taken as delivery)",
                    ),
                ),
                days(
                    Anchor::Payment,
                    540,
                    Count::EndOfDay,
                    src(R::SN3, ThirdParty, Low),
                ),
            ],
        },
        FilingWindow {
            families: vec![],
            networks: vec![Network::Mastercard],
            opens: vec![],
            closes: vec![days(
                Anchor::LaterOfPaymentAndExpectedDelivery,
                120,
                Count::EndOfDay,
                src(R::SN4, ThirdParty, Low).note(
                    "one issuer (Adyen) allows not-received chargebacks from 40 days and \
                     not-as-described from 20 days after payment; not adopted as a network rule",
                ),
            )],
        },
        FilingWindow {
            families: vec![],
            networks: vec![],
            opens: vec![],
            closes: vec![days(
                Anchor::LaterOfPaymentAndExpectedDelivery,
                120,
                Count::EndOfDay,
                src(R::SN1, ThirdParty, Low)
                    .note("some Visa reasons allow up to 540 days; network rules not in hand"),
            )],
        },
    ]
}

fn card_network_codes() -> Vec<NetworkCode> {
    let visa = src(R::SR2, Official, High);
    let mc = src(R::SN4, ThirdParty, Low);
    let code = |network, code: &str, family, supplier: &[Reason], source: &Source| NetworkCode {
        network,
        code: code.to_owned(),
        family,
        supplier_reasons: supplier.to_vec(),
        source: source.clone(),
    };
    let mut v = Vec::new();
    for c in ["10.1", "10.2", "10.3", "10.4", "10.5"] {
        v.push(code(Network::Visa, c, Family::Unauthorized, &[], &visa));
    }
    for c in ["13.1", "13.9"] {
        v.push(code(
            Network::Visa,
            c,
            Family::NotReceived,
            NOT_RECEIVED,
            &visa,
        ));
    }
    v.push(code(
        Network::Visa,
        "13.3",
        Family::NotAsDescribed,
        NOT_AS_DESCRIBED,
        &visa,
    ));
    v.push(code(
        Network::Visa,
        "13.4",
        Family::NotAsDescribed,
        &[Reason::ReceivedCounterfeit],
        &visa,
    ));
    v.push(code(
        Network::Visa,
        "13.5",
        Family::NotAsDescribed,
        NOT_AS_DESCRIBED,
        &visa,
    ));
    for c in ["13.6", "13.7"] {
        v.push(code(
            Network::Visa,
            c,
            Family::CreditNotProcessed,
            NO_REFUND,
            &visa,
        ));
    }
    for c in ["13.2", "12.6.1", "12.6.2"] {
        v.push(code(Network::Visa, c, Family::Other, &[], &visa));
    }
    v.push(code(
        Network::Mastercard,
        "4855",
        Family::NotReceived,
        NOT_RECEIVED,
        &mc,
    ));
    v.push(code(
        Network::Mastercard,
        "4853",
        Family::NotAsDescribed,
        NOT_AS_DESCRIBED,
        &mc.clone().note(
            "an umbrella code (not as described, defective, other consumer disputes); whether \
             4855 is still issued or folded into 4853 is not in Mastercard's own text here",
        ),
    ));
    v
}

fn card_stages(decision: Source, fallback_note: &str, names: (&str, &str)) -> Vec<Stage> {
    let fallback = || src(R::SL2, ThirdParty, Low).note(fallback_note);
    vec![
        stage(
            "inquiry",
            names.0,
            &[],
            vec![Deadline::new(
                DeadlineKind::SellerResponse,
                days(Anchor::StageStart, 7, Count::Exact, fallback()),
            )],
            src(R::SL1, Mirror, Medium).note("an inquiry takes no money yet"),
        ),
        stage(
            "chargeback",
            names.1,
            &[],
            vec![
                Deadline::new(
                    DeadlineKind::SellerResponse,
                    days(Anchor::StageStart, 7, Count::Exact, fallback()),
                ),
                Deadline::new(
                    DeadlineKind::PlatformDecision,
                    days(Anchor::ResponseDue, 75, Count::Exact, decision),
                ),
            ],
            src(R::SL1, Mirror, Medium),
        ),
    ]
}

/// Card disputes through Stripe.
pub(crate) fn stripe() -> SellingPolicy {
    use Family::{CreditNotProcessed, NotAsDescribed, NotReceived, Other, Unauthorized};
    let s_r1 = src(R::SR1, Mirror, Medium);
    let mut reasons = vec![
        reason("product_not_received", NotReceived, NOT_RECEIVED, &s_r1),
        reason(
            "product_unacceptable",
            NotAsDescribed,
            NOT_AS_DESCRIBED,
            &s_r1,
        ),
        reason("credit_not_processed", CreditNotProcessed, NO_REFUND, &s_r1),
        reason("fraudulent", Unauthorized, &[], &s_r1),
        reason("unrecognized", Unauthorized, &[], &s_r1),
    ];
    for c in [
        "bank_cannot_process",
        "check_returned",
        "customer_initiated",
        "debit_not_authorized",
        "duplicate",
        "general",
        "incorrect_account_details",
        "insufficient_funds",
        "noncompliant",
        "subscription_canceled",
    ] {
        reasons.push(reason(c, Other, &[], &s_r1));
    }
    SellingPolicy {
        schema_version: SELLING_POLICY_SCHEMA_VERSION,
        id: "stripe".into(),
        platform: Platform::Stripe,
        description: "Card disputes through Stripe: the card networks' filing windows, Stripe's \
                      evidence deadline and fees"
            .into(),
        time_zone: utc(src(R::ST1, Unsourced, Assumption).note(
            "due_by is an instant; the networks count calendar days in no documented zone",
        )),
        default_country: "US".into(),
        windows: card_windows(),
        stages: card_stages(
            src(R::SL5, Official, Low).note(
                "Stripe: the whole lifecycle can take 2-3 months; a copy of its docs: the issuer \
                 decides 60-75 days after the evidence (the later figure is used)",
            ),
            "third parties citing Stripe: 7 to 21 days depending on the network; Stripe gives \
             the real instant in due_by, which always wins",
            ("warning_needs_response", "needs_response"),
        ),
        common_deadlines: vec![],
        platform_due: PlatformDue {
            field: "evidence_details.due_by".into(),
            source: src(R::SL1, Mirror, High)
                .note("0 or null when the issuer allows no response"),
            date_reading: DateReading::EndOfDay,
            date_reading_source: src(R::ST1, Unsourced, Assumption)
                .note("Stripe gives an instant; a bare date is read as the whole UTC day"),
            auto_submission: None,
        },
        business_days: None,
        reasons,
        network_codes: card_network_codes(),
        seller_protection: None,
        evidence: vec![
            evidence(
                "shipping_tracking",
                &[NotReceived],
                "carrier, tracking number and shipping date, with tracking that shows delivery \
                 to the shipping address",
                Some("shipping_carrier, shipping_tracking_number, shipping_date, shipping_documentation"),
                src(R::SV1, Mirror, Medium),
            ),
            evidence(
                "signed_delivery",
                &[NotReceived],
                "for a high-value order, a signed delivery (no threshold was found)",
                None,
                src(R::SV2, ThirdParty, Low),
            ),
            evidence(
                "product_description",
                &[NotAsDescribed],
                "the listing's description matching the item, photos, the refund policy and how \
                 it was shown",
                Some("product_description, refund_policy, refund_policy_disclosure"),
                src(R::SV2, ThirdParty, Low),
            ),
            evidence(
                "customer_communication",
                &[],
                "messages with the customer",
                Some("customer_communication"),
                src(R::SV1, Mirror, Medium),
            ),
        ],
        signature_thresholds: vec![],
        fees: vec![
            Fee {
                kind: FeeKind::Dispute,
                tier: None,
                stages: vec!["chargeback".into()],
                country: Some("US".into()),
                amount: money(15, 0, "USD"),
                since: None,
                charged: Charged::OnOpening,
                returned_on_win: Flag {
                    value: false,
                    source: src(R::SF3, Official, Medium).note(
                        "an older Stripe FAQ: refunded on a win; the current pages no longer say so",
                    ),
                },
                waived_when: Waivers {
                    list: vec![Waiver::RefundedBeforeDispute],
                    source: src(R::SV3, Official, High),
                },
                source: src(R::SF1, ThirdParty, Low).note(
                    "the fee varies by region (official); the USD 15 US amount is widely reported, \
                     not found on a Stripe page",
                ),
            },
            Fee {
                kind: FeeKind::Counter,
                tier: None,
                stages: vec!["chargeback".into()],
                country: Some("US".into()),
                amount: money(15, 0, "USD"),
                since: NaiveDate::from_ymd_opt(2025, 6, 17),
                charged: Charged::WhenContested,
                returned_on_win: Flag {
                    value: true,
                    source: src(R::SF2, Official, High),
                },
                waived_when: Waivers {
                    list: vec![],
                    source: src(R::SF2, Official, High),
                },
                source: src(R::SF2, ThirdParty, Low).note(
                    "the fee is official for disputes from 17 June 2025; the USD 15 amount is \
                     third-party; Smart Disputes charges 30% of the recovered amount instead",
                ),
            },
        ],
        loss: Loss {
            text: "the disputed amount and the dispute fee".into(),
            source: src(R::SF1, Official, Medium),
        },
    }
}

/// Card disputes through Shopify Payments.
pub(crate) fn shopify_payments() -> SellingPolicy {
    use Family::{CreditNotProcessed, NotAsDescribed, NotReceived, Other, Unauthorized};
    let h_r1 = src(R::HR1, Official, High);
    let mut reasons = vec![
        reason("PRODUCT_NOT_RECEIVED", NotReceived, NOT_RECEIVED, &h_r1),
        reason(
            "PRODUCT_UNACCEPTABLE",
            NotAsDescribed,
            NOT_AS_DESCRIBED,
            &h_r1,
        ),
        reason("CREDIT_NOT_PROCESSED", CreditNotProcessed, NO_REFUND, &h_r1),
        reason("FRAUDULENT", Unauthorized, &[], &h_r1),
        reason("UNRECOGNIZED", Unauthorized, &[], &h_r1),
    ];
    for c in [
        "BANK_CANNOT_PROCESS",
        "CUSTOMER_INITIATED",
        "DEBIT_NOT_AUTHORIZED",
        "DUPLICATE",
        "GENERAL",
        "INCORRECT_ACCOUNT_DETAILS",
        "INSUFFICIENT_FUNDS",
        "NONCOMPLIANT",
        "SUBSCRIPTION_CANCELLED",
    ] {
        reasons.push(reason(c, Other, &[], &h_r1));
    }
    let fee_flag = || Flag {
        value: true,
        source: src(R::HF1, Official, Medium).note(
            "an older glossary: returned with the amount on a win; the current process page: \
             might be refunded depending on the country",
        ),
    };
    let fee = |country: &str, amount: Money, note: &str| Fee {
        kind: FeeKind::Chargeback,
        tier: None,
        stages: vec!["chargeback".into()],
        country: Some(country.to_owned()),
        amount,
        since: None,
        charged: Charged::OnOpening,
        returned_on_win: fee_flag(),
        waived_when: Waivers {
            list: vec![],
            source: src(R::HL3, Official, High).note("an inquiry takes no money"),
        },
        source: src(R::HF1, Official, Medium).note(note),
    };
    SellingPolicy {
        schema_version: SELLING_POLICY_SCHEMA_VERSION,
        id: "shopify_payments".into(),
        platform: Platform::ShopifyPayments,
        description: "Card chargebacks and inquiries through Shopify Payments: the card \
                      networks' filing windows, Shopify's evidence due date and fees"
            .into(),
        time_zone: utc(src(R::HT1, Unsourced, Assumption).note(
            "Shopify takes an order's day in UTC (payouts); the zone of evidenceDueBy is not documented",
        )),
        default_country: "US".into(),
        windows: card_windows(),
        stages: card_stages(
            src(R::HL3, Official, High)
                .note("the card company's review can take up to 75 days after submission"),
            "fallback only: Shopify always gives evidenceDueBy, which always wins",
            ("INQUIRY", "CHARGEBACK"),
        ),
        common_deadlines: vec![],
        platform_due: PlatformDue {
            field: "evidenceDueBy".into(),
            source: src(R::HL1, Official, High).note("a date without a time"),
            date_reading: DateReading::StartOfDay,
            date_reading_source: src(R::HT1, Unsourced, Assumption).note(
                "Shopify sends the evidence on that date: the last safe moment is taken as \
                 00:00 UTC at its start",
            ),
            auto_submission: Some(src(R::HL2, Official, High)),
        },
        business_days: None,
        reasons,
        network_codes: card_network_codes(),
        seller_protection: None,
        evidence: vec![
            evidence(
                "shipping_confirmation",
                &[NotReceived],
                "the shipping confirmation with tracking to the order's address",
                Some("shippingDocumentation"),
                src(R::HV1, Official, High),
            ),
            evidence(
                "refund_policy",
                &[NotAsDescribed],
                "the refund policy and the product's description",
                Some("refundPolicyDisclosure"),
                src(R::HV1, Official, High),
            ),
            evidence(
                "customer_communication",
                &[],
                "messages with the customer",
                Some("customerCommunication"),
                src(R::HV1, Official, High),
            ),
        ],
        signature_thresholds: vec![],
        fees: vec![
            fee("US", money(15, 0, "USD"), ""),
            fee("CA", money(15, 0, "CAD"), ""),
            fee("GB", money(10, 0, "GBP"), ""),
            fee("IE", money(18, 45, "EUR"), "EUR 15 plus 23% VAT"),
            fee("AU", money(25, 0, "AUD"), ""),
        ],
        loss: Loss {
            text: "the amount and the chargeback fee, taken when the chargeback opens (an \
                   inquiry takes nothing)"
                .into(),
            source: src(R::HL3, Official, High),
        },
    }
}

// --- eBay -----------------------------------------------------------------

fn us_federal() -> HolidayCalendar {
    let h = |name: &str, date, from_year| Holiday {
        name: name.to_owned(),
        date,
        observed: Observance::NearestWeekday,
        from_year,
        until_year: None,
        except_years: vec![],
    };
    let fixed = |month, day| HolidayDate::Fixed { month, day };
    let nth = |month, weekday, n| HolidayDate::NthWeekday { month, weekday, n };
    HolidayCalendar {
        country: "US".into(),
        name: "US federal holidays (5 U.S.C. 6103), observed dates".into(),
        holidays: vec![
            h("New Year's Day", fixed(1, 1), None),
            h(
                "Birthday of Martin Luther King, Jr.",
                nth(1, Weekday::Mon, 3),
                Some(1986),
            ),
            h("Washington's Birthday", nth(2, Weekday::Mon, 3), None),
            h(
                "Memorial Day",
                HolidayDate::LastWeekday {
                    month: 5,
                    weekday: Weekday::Mon,
                },
                None,
            ),
            h(
                "Juneteenth National Independence Day",
                fixed(6, 19),
                Some(2021),
            ),
            h("Independence Day", fixed(7, 4), None),
            h("Labor Day", nth(9, Weekday::Mon, 1), None),
            h("Columbus Day", nth(10, Weekday::Mon, 2), None),
            h("Veterans Day", fixed(11, 11), None),
            h("Thanksgiving Day", nth(11, Weekday::Thu, 4), None),
            h("Christmas Day", fixed(12, 25), None),
        ],
        source: src(R::BT1, Unsourced, Assumption).note(
            "eBay does not publish the US holidays it skips; the federal list with observed \
             dates (Saturday to Friday, Sunday to Monday) is assumed",
        ),
    }
}

fn england_and_wales() -> HolidayCalendar {
    let h = |name: &str, date, observed, except_years: Vec<i32>| Holiday {
        name: name.to_owned(),
        date,
        observed,
        from_year: None,
        until_year: None,
        except_years,
    };
    let once = |name: &str, y, m, d| {
        h(
            name,
            HolidayDate::Once {
                date: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
            },
            Observance::OnDate,
            vec![],
        )
    };
    HolidayCalendar {
        country: "GB".into(),
        name: "UK bank holidays (England and Wales)".into(),
        holidays: vec![
            h(
                "New Year's Day",
                HolidayDate::Fixed { month: 1, day: 1 },
                Observance::NextFreeWeekday,
                vec![],
            ),
            h(
                "Good Friday",
                HolidayDate::Easter { offset_days: -2 },
                Observance::OnDate,
                vec![],
            ),
            h(
                "Easter Monday",
                HolidayDate::Easter { offset_days: 1 },
                Observance::OnDate,
                vec![],
            ),
            h(
                "Early May bank holiday",
                HolidayDate::NthWeekday {
                    month: 5,
                    weekday: Weekday::Mon,
                    n: 1,
                },
                Observance::OnDate,
                vec![2020],
            ),
            once("Early May bank holiday (VE Day)", 2020, 5, 8),
            h(
                "Spring bank holiday",
                HolidayDate::LastWeekday {
                    month: 5,
                    weekday: Weekday::Mon,
                },
                Observance::OnDate,
                vec![2022],
            ),
            once("Spring bank holiday", 2022, 6, 2),
            once("Platinum Jubilee bank holiday", 2022, 6, 3),
            once("State Funeral of Queen Elizabeth II", 2022, 9, 19),
            once("Coronation of King Charles III", 2023, 5, 8),
            h(
                "Summer bank holiday",
                HolidayDate::LastWeekday {
                    month: 8,
                    weekday: Weekday::Mon,
                },
                Observance::OnDate,
                vec![],
            ),
            h(
                "Christmas Day",
                HolidayDate::Fixed { month: 12, day: 25 },
                Observance::NextFreeWeekday,
                vec![],
            ),
            h(
                "Boxing Day",
                HolidayDate::Fixed { month: 12, day: 26 },
                Observance::NextFreeWeekday,
                vec![],
            ),
        ],
        source: src(R::BL6, Official, High).note(
            "the England and Wales list (gov.uk/bank-holidays); Scotland and Northern Ireland differ",
        ),
    }
}

/// eBay Money Back Guarantee and eBay payment disputes.
pub(crate) fn ebay() -> SellingPolicy {
    use Family::{CreditNotProcessed, NotAsDescribed, NotReceived, Other, Unauthorized};
    let three = || {
        bdays(
            Anchor::StageStart,
            3,
            Count::EndOfDay,
            src(R::BL1, Official, High),
        )
    };
    let decision = |from| {
        hours(
            from,
            48,
            src(R::BL2, Official, Medium).note(
                "about 48 hours after eBay steps in; the earliest it can be asked is when the \
                 seller's time ends",
            ),
        )
    };
    let b_r1 = src(R::BR1, Official, High);
    SellingPolicy {
        schema_version: SELLING_POLICY_SCHEMA_VERSION,
        id: "ebay".into(),
        platform: Platform::Ebay,
        description: "eBay Money Back Guarantee (item not received, returns) and eBay payment \
                      disputes, from eBay's help pages and APIs"
            .into(),
        time_zone: utc(src(R::BT1, Official, Medium)
            .note("eBay's API instants are UTC; the zone of its day counts is not documented")),
        default_country: "US".into(),
        windows: vec![
            FilingWindow {
                families: vec![NotReceived],
                networks: vec![],
                opens: vec![days(
                    Anchor::MaxEstimatedDelivery,
                    1,
                    Count::StartOfDay,
                    src(R::BW1, Official, High),
                )],
                closes: vec![days(
                    Anchor::MaxEstimatedDelivery,
                    30,
                    Count::EndOfDay,
                    src(R::BW1, Official, High).note("legacy eBay India: 30 days from payment"),
                )],
            },
            FilingWindow {
                families: vec![NotAsDescribed],
                networks: vec![],
                opens: vec![days(
                    Anchor::Delivery,
                    0,
                    Count::Exact,
                    src(R::BW2, Official, High),
                )],
                closes: vec![days(
                    Anchor::Delivery,
                    30,
                    Count::EndOfDay,
                    src(R::BW2, Official, High)
                        .note("not overridden by a no-returns listing; legacy eBay India: 10 days"),
                )],
            },
            FilingWindow {
                families: vec![],
                networks: vec![],
                opens: vec![],
                closes: vec![days(
                    Anchor::LaterOfPaymentAndExpectedDelivery,
                    120,
                    Count::EndOfDay,
                    src(R::SN1, ThirdParty, Low)
                        .note("other disputes reach eBay as payment disputes under card rules"),
                )],
            },
        ],
        stages: vec![
            stage(
                "inr_request",
                "INR",
                &[NotReceived],
                vec![
                    Deadline::new(DeadlineKind::SellerResponse, three()),
                    Deadline::new(DeadlineKind::EscalationOpens, three()),
                    Deadline::new(
                        DeadlineKind::PlatformDecision,
                        decision(Anchor::ResponseDue),
                    ),
                    Deadline::new(
                        DeadlineKind::IdleClose,
                        bdays(
                            Anchor::Opened,
                            21,
                            Count::EndOfDay,
                            src(R::BL3, Official, High)
                                .note("closes after more than 21 business days without activity"),
                        ),
                    ),
                    Deadline::new(
                        DeadlineKind::DeliveryCloses,
                        hours(
                            Anchor::DeliveredAfterOpening,
                            24,
                            src(R::BL5, Mirror, Medium),
                        ),
                    ),
                ],
                src(R::BL1, Official, High),
            ),
            stage(
                "return_request",
                "RETURN",
                &[NotAsDescribed],
                vec![
                    Deadline::new(DeadlineKind::SellerResponse, three()),
                    Deadline::new(DeadlineKind::EscalationOpens, three()),
                    Deadline::new(
                        DeadlineKind::PlatformDecision,
                        decision(Anchor::ResponseDue),
                    ),
                    Deadline::new(
                        DeadlineKind::IdleClose,
                        bdays(
                            Anchor::Opened,
                            21,
                            Count::EndOfDay,
                            src(R::BL3, Mirror, Medium),
                        ),
                    ),
                ],
                src(R::BL1, Official, High),
            ),
            stage(
                "escalated",
                "ESCALATED",
                &[],
                vec![Deadline::new(
                    DeadlineKind::PlatformDecision,
                    decision(Anchor::StageStart),
                )],
                src(R::BL2, Official, Medium),
            ),
            stage(
                "payment_dispute",
                "PAYMENT_DISPUTE",
                &[],
                vec![Deadline::new(
                    DeadlineKind::SellerResponse,
                    days(
                        Anchor::StageStart,
                        5,
                        Count::Exact,
                        src(R::BL7, Official, High),
                    ),
                )],
                src(R::BL7, Official, High).note(
                    "opening a payment dispute closes any open request or guarantee case for \
                     the same transaction",
                ),
            ),
        ],
        common_deadlines: vec![
            Deadline::new(
                DeadlineKind::RefundDue,
                bdays(
                    Anchor::OfferMade,
                    2,
                    Count::EndOfDay,
                    src(R::BL4, Mirror, Medium),
                ),
            ),
            Deadline::new(
                DeadlineKind::AppealCloses,
                days(
                    Anchor::Closed,
                    30,
                    Count::Exact,
                    src(R::BF2, Official, High).note("new information required"),
                ),
            ),
        ],
        platform_due: PlatformDue {
            field: "respondByDate".into(),
            source: src(R::BL7, Official, High),
            date_reading: DateReading::EndOfDay,
            date_reading_source: src(R::BT1, Unsourced, Assumption)
                .note("eBay gives a UTC instant; a bare date is read as the whole UTC day"),
            auto_submission: None,
        },
        business_days: Some(BusinessDays {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            calendars: vec![us_federal(), england_and_wales()],
            source: src(R::BL6, Official, High).note(
                "eBay UK moved from 8 calendar days to 3 business days in May 2020 (Monday to \
                 Friday without bank holidays); older eBay.com: 7 days",
            ),
        }),
        reasons: vec![
            reason("ITEM_NOT_RECEIVED", NotReceived, NOT_RECEIVED, &b_r1),
            reason(
                "SIGNIFICANTLY_NOT_AS_DESCRIBED",
                NotAsDescribed,
                NOT_AS_DESCRIBED,
                &b_r1,
            ),
            reason(
                "COUNTERFEIT",
                NotAsDescribed,
                &[Reason::ReceivedCounterfeit],
                &b_r1,
            ),
            reason("CREDIT_NOT_PROCESSED", CreditNotProcessed, NO_REFUND, &b_r1),
            reason("FRAUD", Unauthorized, &[], &b_r1),
            reason("DUPLICATE_AMOUNT", Other, &[], &b_r1),
            reason("INCORRECT_AMOUNT", Other, &[], &b_r1),
            reason("TRANSACTION_ISSUE", Other, &[], &b_r1),
        ],
        network_codes: vec![],
        seller_protection: Some(Protection {
            families: vec![NotReceived],
            source: src(R::BV1, Official, High),
        }),
        evidence: vec![
            evidence(
                "integrated_tracking",
                &[NotReceived],
                "tracking from a carrier integrated with eBay, uploaded within the handling time \
                 (before the estimated delivery date), showing delivered and the delivery date",
                None,
                src(R::BV1, Official, High).note(
                    "whether AliExpress or Cainiao tracking counts as integrated is not documented",
                ),
            ),
            evidence(
                "address_match",
                &[NotReceived],
                "a delivery address matching at least the city or the postcode of the order",
                None,
                src(R::BV1, Official, High),
            ),
            evidence(
                "delivery_signature",
                &[NotReceived],
                "signature confirmation when the order total (items, shipping, tax) reaches the \
                 signature threshold",
                None,
                src(R::BV1, Official, High),
            ),
            evidence(
                "payment_dispute_evidence",
                &[],
                "for a payment dispute: tracking to the order's address, listing photos, proof of \
                 authenticity; a return address to contest not as described",
                None,
                src(R::BV2, Official, High),
            ),
        ],
        signature_thresholds: [
            (750, "USD", "eBay.com"),
            (750, "CAD", "eBay.ca"),
            (750, "AUD", "eBay.com.au"),
            (450, "GBP", "eBay.co.uk"),
            (550, "EUR", "eBay.at"),
            (700, "CHF", "eBay.ch"),
        ]
        .into_iter()
        .map(|(a, cur, site)| Threshold {
            amount: money(a, 0, cur),
            source: src(R::BV1, Official, High).note(&format!(
                "{site}, order total since 2020; older: USD 250 / GBP 150 item value"
            )),
        })
        .collect(),
        fees: vec![Fee {
            kind: FeeKind::Dispute,
            tier: None,
            stages: vec!["payment_dispute".into()],
            country: Some("US".into()),
            amount: money(20, 0, "USD"),
            since: None,
            charged: Charged::WhenContestedAndLost,
            returned_on_win: Flag {
                value: false,
                source: src(R::BF3, Official, Medium)
                    .note("charged only when the seller contests and loses"),
            },
            waived_when: Waivers {
                list: vec![Waiver::SellerProtection, Waiver::ResolvedBetweenParties],
                source: src(R::BF3, ThirdParty, Low),
            },
            source: src(R::BF3, ThirdParty, Low).note(
                "the API: charged if the seller contests but loses; a third party: when a buyer \
                 files; no fee on EU sites (third party)",
            ),
        }],
        loss: Loss {
            text: "the item price plus the original shipping (what the guarantee covers)".into(),
            source: src(R::BF1, Official, High),
        },
    }
}

// --- Amazon ---------------------------------------------------------------

/// Amazon A-to-z Guarantee claims and Amazon card chargebacks.
pub(crate) fn amazon() -> SellingPolicy {
    use Family::{NotAsDescribed, NotReceived, Other, Unauthorized};
    let names = src(R::AW1, Official, Medium)
        .note("Amazon describes the claim bases in words; these codes are the project's names");
    let latest = || {
        days(
            Anchor::MaxEstimatedDelivery,
            90,
            Count::EndOfDay,
            src(R::AW2, Official, High)
                .note("legacy UK: 90 days after the order date; Amazon may accept later claims"),
        )
    };
    SellingPolicy {
        schema_version: SELLING_POLICY_SCHEMA_VERSION,
        id: "amazon".into(),
        platform: Platform::Amazon,
        description: "Amazon A-to-z Guarantee claims against third-party sellers and Amazon card \
                      chargebacks, from Amazon's help and Seller Central pages"
            .into(),
        time_zone: utc(src(R::AT1, Unsourced, Assumption).note(
            "the seller's clocks are hours (instants); the zone of calendar-day counts is not documented",
        )),
        default_country: "US".into(),
        windows: vec![
            FilingWindow {
                families: vec![NotReceived],
                networks: vec![],
                opens: vec![
                    days(
                        Anchor::MaxEstimatedDelivery,
                        3,
                        Count::StartOfDay,
                        src(R::AW1, Official, High).note(
                            "three days after the maximum estimated delivery date (read as the \
                             third day after it begins); legacy UK: or 30 days after the order",
                        ),
                    ),
                    days(Anchor::Delivery, 0, Count::Exact, src(R::AW1, Official, High)),
                ],
                closes: vec![latest()],
            },
            FilingWindow {
                families: vec![],
                networks: vec![],
                opens: vec![],
                closes: vec![latest()],
            },
        ],
        stages: vec![
            stage(
                "contact",
                "buyer-seller messaging",
                &[],
                vec![
                    Deadline::new(
                        DeadlineKind::SellerResponse,
                        hours(
                            Anchor::StageStart,
                            48,
                            src(R::AW3, Official, Medium).note("third parties: 2 business days"),
                        ),
                    ),
                    Deadline::new(
                        DeadlineKind::EscalationOpens,
                        hours(Anchor::StageStart, 48, src(R::AW3, Official, Medium)),
                    ),
                ],
                src(R::AW3, Official, High),
            ),
            stage(
                "claim",
                "A-to-z claim",
                &[],
                vec![Deadline::new(
                    DeadlineKind::SellerResponse,
                    hours(
                        Anchor::StageStart,
                        72,
                        src(R::AL1, Official, Medium).note(
                            "counted here from the claim; since July 2020 sellers need not \
                             respond to Amazon on each claim",
                        ),
                    ),
                )],
                src(R::AL1, Official, High),
            ),
            stage(
                "information_request",
                "information request",
                &[],
                vec![Deadline::new(
                    DeadlineKind::SellerResponse,
                    hours(
                        Anchor::StageStart,
                        48,
                        src(R::AL2, Official, Medium)
                            .note("other Amazon pages: 72 hours; legacy: 7 days"),
                    ),
                )],
                src(R::AL2, Official, Medium),
            ),
            stage(
                "chargeback",
                "chargeback",
                &[],
                vec![Deadline::new(
                    DeadlineKind::SellerResponse,
                    days(Anchor::StageStart, 7, Count::Exact, src(R::AL4, Official, High)),
                )],
                src(R::AW4, Official, High).note(
                    "a chargeback ends A-to-z eligibility; sellers bear service chargebacks \
                     (such as non-receipt), Amazon bears payment fraud",
                ),
            ),
        ],
        common_deadlines: vec![Deadline::new(
            DeadlineKind::AppealCloses,
            days(
                Anchor::Closed,
                30,
                Count::Exact,
                src(R::AL3, Official, High).note("after a claim is granted and the account debited"),
            ),
        )],
        platform_due: PlatformDue {
            field: "respond-by time shown in Seller Central".into(),
            source: src(R::AT1, Unsourced, Assumption)
                .note("no API field found; an instant Amazon shows always wins"),
            date_reading: DateReading::EndOfDay,
            date_reading_source: src(R::AT1, Unsourced, Assumption),
            auto_submission: None,
        },
        business_days: None,
        reasons: vec![
            reason("not_received", NotReceived, NOT_RECEIVED, &names),
            reason("different_than_expected", NotAsDescribed, NOT_AS_DESCRIBED, &names),
            reason("return_not_refunded", Other, &[], &names),
            reason("unauthorized", Unauthorized, &[], &names),
        ],
        network_codes: vec![],
        seller_protection: None,
        evidence: vec![
            evidence(
                "delivery_proof",
                &[NotReceived],
                "the dispatch method, carrier, tracking number and proof of delivery",
                None,
                src(R::AV1, Official, High),
            ),
            evidence(
                "return_documents",
                &[NotAsDescribed],
                "return eligibility, a domestic return address and a return label",
                None,
                src(R::AV1, Official, High),
            ),
            evidence(
                "chargeback_records",
                &[],
                "shipping date, method and tracking; signature confirmation for high-value items \
                 (no threshold found); the shipping address Amazon gave, unchanged",
                None,
                src(R::AV1, Official, High),
            ),
            evidence(
                "buyer_correspondence",
                &[],
                "messages with the buyer",
                None,
                src(R::AV1, Official, High),
            ),
        ],
        signature_thresholds: vec![],
        fees: vec![],
        loss: Loss {
            text: "the claim amount is debited and counts in the Order Defect Rate; no A-to-z or \
                   chargeback fee was found"
                .into(),
            source: src(R::AF1, Official, Medium),
        },
    }
}
