//! Files the command line keeps under the data directory, written whole.

use anyhow::{Context, Result, anyhow, ensure};
use std::path::{Path, PathBuf};

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

/// Writes every file beside its place, then renames them into place, so a
/// failure leaves the kept files whole.
pub fn write_all(files: &[(PathBuf, String)]) -> Result<()> {
    let mut staged = Vec::new();
    for (target, text) in files {
        let parent = target.parent().expect("a file in a folder");
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let staging = target.with_extension("csv.partial");
        std::fs::write(&staging, text)
            .with_context(|| format!("cannot write {}", staging.display()))?;
        staged.push((staging, target));
    }
    for (staging, target) in staged {
        std::fs::rename(&staging, target)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}
