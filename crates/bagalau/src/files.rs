//! Input files the command line reads.

use anyhow::{Context, Result, anyhow, ensure};
use bagalau_app::{AppError, Upload};
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

/// A file named on the command line, read for an import (its name is the
/// path as given, which the problems found in it name).
pub fn upload(path: &Path) -> Result<Upload> {
    Ok(Upload {
        name: path.display().to_string(),
        text: read_text(path)?,
    })
}

/// Files named on the command line, read for an import.
pub fn uploads(files: &[PathBuf]) -> Result<Vec<Upload>> {
    files.iter().map(|path| upload(path)).collect()
}

/// An import's refusal: its problems on standard error (thirty at most).
pub fn refused(e: AppError, what: &str) -> anyhow::Error {
    if let AppError::Invalid(problems) = &e {
        for p in problems.iter().take(30) {
            eprintln!("{p}");
        }
        if problems.len() > 30 {
            eprintln!("… {} problems in all", problems.len());
        }
        return anyhow!("nothing was imported: fix the {what} and import again");
    }
    e.into()
}
