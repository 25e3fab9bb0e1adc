//! Gives the shared library its SONAME on Linux: `libdispute_rules.so.0`
//! (ABI version 0), the name it is installed under (`make install`). Cargo
//! still writes `libdispute_rules_c.so`; scripts/c-stage.sh lays out the
//! installed names (`libdispute_rules.so.0.1.0` plus links).

/// The ABI version: the number after `.so.` in the SONAME. Raise it on every
/// change that breaks programs linked against an older library (a removed or
/// changed function, a struct whose first bytes change).
const SOVERSION: u32 = 0;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libdispute_rules.so.{SOVERSION}");
    }
}
