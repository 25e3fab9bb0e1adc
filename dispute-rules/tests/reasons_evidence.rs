//! Evidence: attachment limits (R-V2) and the per-reason checklist (R-V1).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

mod reasons_common;

use dispute_rules::reasons::{
    checklist, validate_attachments, AttachmentKind, EvidenceKind, EvidenceSet, FileRule, Reason,
};
use dispute_rules::{Error, Explain, Policy, Rule};
use reasons_common::*;
use AttachmentKind::{Document, Image, Video};
use EvidenceKind as K;

const MIB: u64 = 1024 * 1024;

fn problems(atts: &[dispute_rules::reasons::Attachment]) -> Vec<String> {
    match validate_attachments(atts, &Policy::aliexpress()) {
        Ok(()) => Vec::new(),
        Err(e) => {
            assert!(matches!(e, Error::InvalidClaim(_)));
            fields(&e)
        }
    }
}

#[test]
fn r_v2_image_formats() {
    for ext in ["jpg", "jpeg", "bmp", "gif", "png", "JPG", "Png"] {
        let a = file(Image, &format!("a.{ext}"), 1000, K::ItemPhoto);
        assert!(problems(&[a]).is_empty(), "{ext}");
    }
    for ext in ["webp", "tiff", "heic", "mp4"] {
        let a = file(Image, &format!("a.{ext}"), 1000, K::ItemPhoto);
        assert_eq!(problems(&[a]), ["attachments[0].format"], "{ext}");
    }
    // jpg and jpeg are one format.
    let mut a = file(Image, "a.jpeg", 1000, K::ItemPhoto);
    a.format = "jpg".into();
    assert!(problems(&[a]).is_empty());
}

#[test]
fn r_v2_image_at_most_2_mb() {
    assert!(problems(&[file(Image, "a.png", 2 * MIB, K::ItemPhoto)]).is_empty());
    let e = validate_attachments(
        &[file(Image, "a.png", 2 * MIB + 1, K::ItemPhoto)],
        &Policy::aliexpress(),
    );
    let e = e.unwrap_err();
    assert_eq!(fields(&e), ["attachments[0].size_bytes"]);
    assert!(e.to_string().contains("2 MiB"), "{e}");
}

#[test]
fn r_v2_video_at_most_200_mb() {
    assert!(problems(&[file(Video, "a.mp4", 200 * MIB, K::UnboxingVideo)]).is_empty());
    assert!(problems(&[file(Video, "a.mov", 1, K::ItemVideo)]).is_empty());
    assert_eq!(
        problems(&[file(Video, "a.mp4", 200 * MIB + 1, K::UnboxingVideo)]),
        ["attachments[0].size_bytes"]
    );
}

#[test]
fn r_v2_limits_come_from_the_policy() {
    let mut p = Policy::aliexpress();
    p.reasons.attachments.image.max_bytes = 1000;
    p.reasons.attachments.document = Some(FileRule {
        formats: Some(vec!["pdf".into()]),
        max_bytes: 10 * MIB,
    });
    p.reasons.attachments.max_count = Some(2);
    let atts = [
        file(Image, "a.png", 1001, K::ItemPhoto),
        file(Document, "proof.pdf", 5000, K::PostalProof),
        file(Document, "proof.doc", 5000, K::PostalProof),
    ];
    let e = validate_attachments(&atts, &p).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "attachments[0].size_bytes",
            "attachments[2].format",
            "attachments"
        ]
    );
}

#[test]
fn r_v2_other_problems_each_named() {
    // Documents are not accepted by default.
    assert_eq!(
        problems(&[file(Document, "p.pdf", 10, K::PostalProof)]),
        ["attachments[0].kind"]
    );
    assert_eq!(
        problems(&[file(Image, "a.png", 0, K::ItemPhoto)]),
        ["attachments[0].size_bytes"]
    );
    let mut a = file(Image, "a.gif", 10, K::ItemPhoto);
    a.format = "png".into();
    assert_eq!(problems(&[a]), ["attachments[0].file_name"]);
    // A video of the unboxing cannot be a picture.
    assert_eq!(
        problems(&[file(Image, "a.png", 10, K::UnboxingVideo)]),
        ["attachments[0].shows"]
    );
    let mut a = file(Image, "", 10, K::ItemPhoto);
    a.format = "png".into();
    assert_eq!(problems(&[a]), ["attachments[0].file_name"]);
}

#[test]
fn r_v1_shortage_unboxing_video_helps_most() {
    let p = Policy::aliexpress();
    let c = checklist(Reason::ReceivedQuantityShortage, &[], &p, Explain::No).unwrap();
    assert_eq!(c.score_percent, 0);
    assert_eq!(c.most_helpful, Some(K::UnboxingVideo));
    assert!(c.present.is_empty() && c.missing.len() == 3);
    let c = checklist(
        Reason::ReceivedQuantityShortage,
        &[video(K::UnboxingVideo)],
        &p,
        Explain::No,
    )
    .unwrap();
    assert_eq!(c.score_percent, 50);
    assert_eq!(c.most_helpful, Some(K::ItemPhoto));
    assert!(c.rules.contains(Rule::V1) && c.rules.contains(Rule::R10));
}

#[test]
fn r_v1_evidence_by_reason() {
    let p = Policy::aliexpress();
    let most = |r: Reason| checklist(r, &[], &p, Explain::No).unwrap().most_helpful;
    // Non-receipt: proof from the postal service and tracking screenshots.
    assert_eq!(
        most(Reason::NotReceivedDeliveredNotReceived),
        Some(K::PostalProof)
    );
    assert_eq!(
        most(Reason::NotReceivedTooLong),
        Some(K::TrackingScreenshot)
    );
    // Damage: photos.
    assert_eq!(most(Reason::ReceivedDamaged), Some(K::DamagePhoto));
    // Quality: video and photos.
    assert_eq!(most(Reason::ReceivedQuality), Some(K::ItemVideo));
    // Counterfeit: listing screenshot plus photos or video.
    let c = checklist(
        Reason::ReceivedCounterfeit,
        &[photo(K::ListingScreenshot), video(K::ItemVideo)],
        &p,
        Explain::No,
    )
    .unwrap();
    assert_eq!(c.score_percent, 100);
    assert_eq!(c.most_helpful, None);
    let c = checklist(
        Reason::ReceivedCounterfeit,
        &[photo(K::ItemPhoto)],
        &p,
        Explain::No,
    )
    .unwrap();
    assert_eq!(
        (c.score_percent, c.most_helpful),
        (50, Some(K::ListingScreenshot))
    );
    // Wrong item: photos of what arrived next to the listing.
    let c = checklist(
        Reason::ReceivedNotAsDescribed,
        &[photo(K::ItemPhoto), photo(K::ListingScreenshot)],
        &p,
        Explain::No,
    )
    .unwrap();
    assert_eq!(c.score_percent, 80);
}

#[test]
fn checklist_flags_unrelated_attachments_and_rejects_invalid_ones() {
    let p = Policy::aliexpress();
    let c = checklist(
        Reason::ReceivedDamaged,
        &[photo(K::DamagePhoto), photo(K::TrackingScreenshot)],
        &p,
        Explain::Yes,
    )
    .unwrap();
    assert_eq!(c.unrelated, [1]);
    assert_eq!(c.score_percent, 60);
    assert!(c.explanation.is_some());
    let e = checklist(
        Reason::ReceivedDamaged,
        &[file(Image, "x.webp", 10, K::DamagePhoto)],
        &p,
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["attachments[0].format"]);
}

#[test]
fn evidence_codes_round_trip() {
    for k in EvidenceKind::ALL {
        assert_eq!(EvidenceKind::from_code(k.code()), Some(*k));
        assert_eq!(EvidenceKind::from_number(k.number()), Some(*k));
        let json = serde_json::to_string(k).unwrap();
        assert_eq!(serde_json::from_str::<EvidenceKind>(&json).unwrap(), *k);
    }
    let s = EvidenceSet::of(&[K::ItemVideo, K::ItemPhoto]);
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"["item_photo","item_video"]"#
    );
    assert!(serde_json::from_str::<EvidenceKind>(r#""selfie""#).is_err());
}

#[test]
fn attachment_counts_and_names_are_limited() {
    // Issue 13: documented limits, named, without echoing the input.
    let many =
        vec![file(Image, "a.png", 1000, K::ItemPhoto); dispute_rules::limits::MAX_ATTACHMENTS + 1];
    assert_eq!(problems(&many), ["attachments"]);
    let mut long = file(Image, "a.png", 1000, K::ItemPhoto);
    long.file_name = format!("{}.png", "n".repeat(10_000));
    let e = validate_attachments(&[long], &Policy::aliexpress()).unwrap_err();
    assert_eq!(fields(&e), ["attachments[0].file_name"]);
    assert!(e.to_string().len() < 300, "{e}");
}
