//! Files the command line keeps under the data directory, written whole.

use anyhow::{Context, Result};
use std::path::PathBuf;

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
