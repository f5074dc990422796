//! Input files the command line reads.

use anyhow::{Context, Result, anyhow, ensure};
use std::path::Path;

/// An input file's text: a file, not a folder, UTF-8 (its byte-order mark
/// dropped), or an error that says where it stops being text.
pub fn read_text(path: &Path) -> Result<String> {
    ensure!(
        !path.is_dir(),
        "{} is a folder: name a file",
        path.display()
    );
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    bagalau_core::checked::utf8(&bytes)
        .map(str::to_string)
        .map_err(|e| anyhow!("{}: {e}", path.display()))
}
