//! The configuration file (`bagalau.toml`), loaded as the command loads
//! it: defaults, then the file, then the environment, then flags. The
//! loader is the binary's own module, compiled in here from its source (the
//! binary crate has no library to call), and takes a path, so each input
//! is written to a temporary file first.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;

#[allow(dead_code)]
#[path = "../../crates/bagalau/src/config.rs"]
mod config;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(data).expect("writing a temporary file");
    // The file's bytes go in as they are: figment decides what it accepts.
    let _ = config::Config::load(Some(file.path()), config::Flags::default());
});
