//! `bagalau evidence …`: evidence files from the command line, through the
//! same use cases as the API (`bagalau_app::evidence`): upload a file to
//! cite its SHA-256 in a submission, an objection or a report, and download
//! one the account may see.

use crate::app::App;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Keep a file in the evidence store (its type recognised by content;
    /// PDF, PNG, JPEG, XLSX, DOCX, ODS, ODT or CSV) and print its SHA-256.
    Upload { file: PathBuf },
    /// Write a kept file the account may see.
    Download {
        sha256: String,
        /// Where to write it (default: its name as uploaded, in the current folder).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

impl App {
    pub async fn evidence(&self, command: EvidenceCommand, now: &str) -> Result<()> {
        let files = bagalau_store::files::FileStore::open(
            &self.config.evidence.dir,
            self.config.evidence.max_mb as usize * 1024 * 1024,
        )?;
        let actor = self.acting()?;
        match command {
            EvidenceCommand::Upload { file } => {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let stored = bagalau_app::evidence::upload(
                    &self.store,
                    &files,
                    bagalau_app::FrontEnd::CommandLine,
                    &actor,
                    &name,
                    &bytes,
                    now,
                )
                .await?;
                outln!(
                    "{} ({}, {} bytes): cite it as {}",
                    stored.file_name,
                    stored.media_type,
                    stored.size,
                    stored.sha256
                );
            }
            EvidenceCommand::Download { sha256, out } => {
                let (record, bytes) =
                    bagalau_app::evidence::download(&self.store, &files, &actor, &sha256).await?;
                // The uploader's name is a name, never a path.
                let out = out.unwrap_or_else(|| {
                    PathBuf::from(
                        std::path::Path::new(&record.file_name)
                            .file_name()
                            .map_or_else(|| sha256.clone().into(), |n| n.to_os_string()),
                    )
                });
                std::fs::write(&out, bytes)
                    .with_context(|| format!("cannot write {}", out.display()))?;
                outln!("Wrote {} ({})", out.display(), record.media_type);
            }
        }
        Ok(())
    }
}
