//! Link settings of the shared library (the C ABI's face):
//! - soname `libjingmin.so.0` while the ABI is 0.x, so that programs linked
//!   today keep loading compatible 0.x releases;
//! - a version script (`jingmin.map`) so that only `jm_` symbols are
//!   exported.
//!
//! Only the cdylib gets these arguments; the rlib and the static archive are
//! unaffected. Other platforms (Mach-O, PE) use their own defaults.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=jingmin.map");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(os.as_str(), "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "solaris" | "illumos");
    if !elf {
        return;
    }
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let map = manifest.join("jingmin.map");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libjingmin.so.0");
    println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={}", map.display());
}
