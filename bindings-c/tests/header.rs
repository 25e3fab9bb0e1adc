//! The committed header `include/dispute_rules.h` is what cbindgen 0.29.4
//! (pinned in Cargo.toml) generates from the sources today.
//!
//! Regenerate it with `DR_UPDATE_HEADER=1 cargo test -p dispute-rules-c --test header`
//! (or `cbindgen --config cbindgen.toml --output include/dispute_rules.h` in
//! `bindings-c/` with cbindgen 0.29.4 installed).

// Test code: unwrap, expect, panic and indexing are the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

fn generate() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("UTF-8 header")
}

#[test]
fn header_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/dispute_rules.h");
    let fresh = generate();
    if std::env::var_os("DR_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &fresh).expect("write the header");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        let line = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(fresh.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "bindings-c/include/dispute_rules.h is stale (first difference at line {line}); regenerate it with\n  \
             DR_UPDATE_HEADER=1 cargo test -p dispute-rules-c --test header\nand commit it"
        );
    }
}

#[test]
fn header_numbers_match_the_engine() {
    let header = generate();
    // Every R-E9 code, with the engine's number (Ineligible::number).
    for c in dispute_rules::Ineligible::ALL {
        let line = format!(
            "DR_INELIGIBLE_{} = {},",
            c.code().to_uppercase(),
            c.number()
        );
        assert!(header.contains(&line), "missing `{line}`");
    }
    // Every status: the constant's name is the JSON kind, with a fixed number.
    for n in 0..=9u32 {
        // SAFETY: a static C string.
        let name = unsafe { std::ffi::CStr::from_ptr(dispute_rules_c::dr_status_name(n)) }
            .to_str()
            .unwrap();
        let line = format!("DR_STATUS_{} = {n},", name.to_uppercase());
        assert!(header.contains(&line), "missing `{line}`");
    }
    // Every JSON operation has its named wrapper.
    for op in dispute_rules::api::OPERATIONS {
        assert!(
            header.contains(&format!("dr_status dr_{op}_json(")),
            "no dr_{op}_json in the header"
        );
    }
}

#[test]
fn header_version_is_the_crate_version() {
    let header = generate();
    let parts = [
        ("MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
        ("MINOR", env!("CARGO_PKG_VERSION_MINOR")),
        ("PATCH", env!("CARGO_PKG_VERSION_PATCH")),
    ];
    for (name, value) in parts {
        let line = format!("#define DR_VERSION_{name} {value}\n");
        assert!(header.contains(&line), "missing `{}`", line.trim_end());
    }
    let n: Vec<u32> = parts.iter().map(|(_, v)| v.parse().unwrap()).collect();
    assert_eq!(
        dispute_rules_c::dr_version_number(),
        n[0] * 1_000_000 + n[1] * 1_000 + n[2]
    );
    // SAFETY: a static C string.
    let text = unsafe { std::ffi::CStr::from_ptr(dispute_rules_c::dr_version()) };
    assert_eq!(text.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    // The test-only entry point is declared only for test builds.
    let panic_decl = header.find("dr_status dr_test_panic(").unwrap();
    let guard = header[..panic_decl].rfind("#if defined(DR_TESTING)").unwrap();
    assert!(!header[guard..panic_decl].contains("#endif"));
}
