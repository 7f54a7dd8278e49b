//! Names this build of the engine by its sources, for the load cache (`src/policy/cache.rs`).
//!
//! A cached checked program may only be read back by the code that wrote it: another build may
//! lay the program out differently, or check the same rule files to a different program. A
//! version number is bumped by hand and can be forgotten; the sources cannot. So the name is a
//! hash of every file the engine is built from (its sources, its grammar, and the exact versions
//! of its dependencies), of the compiler and of how it is run, and any change of any of them
//! gives another name.

use std::fs;
use std::path::{Path, PathBuf};

const INPUTS: &[&str] = &["src", "grammar", "Cargo.toml", "Cargo.lock", "build.rs"];

/// How the sources are compiled: the target, the profile and the flags cargo passes on.
const SETTINGS: &[&str] = &[
    "TARGET",
    "PROFILE",
    "OPT_LEVEL",
    "DEBUG",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_CFG_OVERFLOW_CHECKS",
];

fn main() {
    let mut files = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        collect(Path::new(input), &mut files);
    }
    files.sort();
    let mut hash = Fnv::default();
    // The compiler (its standard library's tables are part of what a check does) and the way it
    // is run. `Cargo.lock` is what a build of this package uses; a binary built otherwise (a
    // `cargo install` without `--locked`) is still told apart by the binary itself, at run time.
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    hash.write(&version);
    for var in SETTINGS {
        println!("cargo:rerun-if-env-changed={var}");
        hash.write(var.as_bytes());
        hash.write(std::env::var(var).unwrap_or_default().as_bytes());
    }
    for file in &files {
        // A file that cannot be read still changes the name by its path, and cargo builds again
        // when it appears.
        let bytes = fs::read(file).unwrap_or_default();
        hash.write(file.to_string_lossy().replace('\\', "/").as_bytes());
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    println!(
        "cargo:rustc-env=RULEBOOK_BUILD={:016x}{:016x}",
        hash.a, hash.b
    );
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = fs::read_dir(path) {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

/// Two FNV-1a hashes from different starting points: 128 bits, enough that two different
/// sources never meet by chance (nobody forges a source tree against their own cache).
struct Fnv {
    a: u64,
    b: u64,
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv {
            a: 0xcbf2_9ce4_8422_2325,
            b: 0x6c62_272e_07bb_0142,
        }
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        for &byte in bytes {
            self.a = (self.a ^ u64::from(byte)).wrapping_mul(PRIME);
            self.b = (self.b ^ u64::from(byte))
                .wrapping_mul(PRIME)
                .rotate_left(29);
        }
    }
}
