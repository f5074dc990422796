//! Evidence files in a content-addressed store: a file is kept once, under
//! its SHA-256, at `ab/abcdef…` in a blob store ([`BlobStore`]: a local
//! directory or an S3 bucket). Names given by uploaders never become keys,
//! so an upload cannot write outside the store; a file appears whole or not
//! at all, so a crash leaves no half-written evidence behind.
//!
//! Before anything is written, a file is checked: its size against the
//! limit, and its type by its content (magic bytes), which must be an
//! allowed type and agree with the extension of its name. A program named
//! `report.pdf` is refused as disguised.

use crate::blobs::{BlobError, BlobStore};
use bagalau_core::hash::sha256_hex;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{name}: {size} bytes is over the limit of {limit} bytes")]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },
    #[error("{name}: the file is empty")]
    Empty { name: String },
    #[error("{name}: files of type `.{extension}` are not accepted (accepted: {accepted})")]
    TypeNotAllowed {
        name: String,
        extension: String,
        accepted: String,
    },
    #[error("{name}: the name says `.{extension}` but the content is {found}")]
    Disguised {
        name: String,
        extension: String,
        found: String,
    },
    #[error("{name}: the name has characters or a length that are not accepted")]
    BadName { name: String },
    #[error("`{0}` is not a SHA-256 (64 lowercase hex digits)")]
    BadHash(String),
    #[error("evidence store {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Blob(#[from] BlobError),
}

/// The accepted file types: extension, media type, and how the content is recognised.
const TYPES: [(&str, &str); 9] = [
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("csv", "text/csv"),
];

/// A checked file: what it is, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub sha256: String,
    pub size: usize,
    pub media_type: String,
    pub file_name: String,
}

#[derive(Debug, Clone)]
pub struct FileStore {
    blobs: BlobStore,
    max_bytes: usize,
}

impl FileStore {
    /// Opens (creating a directory if needed) the store at `location`, a
    /// directory or an `s3://BUCKET[/PREFIX]` given as a path's text,
    /// accepting files up to `max_bytes`.
    pub fn open(location: impl AsRef<Path>, max_bytes: usize) -> Result<Self, FileError> {
        let location = location.as_ref().to_string_lossy();
        Ok(Self::on(BlobStore::open(&location)?, max_bytes))
    }

    /// The store on a blob store opened already.
    pub fn on(blobs: BlobStore, max_bytes: usize) -> Self {
        Self { blobs, max_bytes }
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Checks a file without writing it: size, name, and type by content.
    pub fn check(&self, file_name: &str, bytes: &[u8]) -> Result<CheckedFile, FileError> {
        let name = file_name.to_string();
        if file_name.is_empty()
            || file_name.len() > 255
            || file_name
                .chars()
                .any(|c| c.is_control() || matches!(c, '/' | '\\'))
        {
            return Err(FileError::BadName { name });
        }
        if bytes.is_empty() {
            return Err(FileError::Empty { name });
        }
        if bytes.len() > self.max_bytes {
            return Err(FileError::TooLarge {
                name,
                size: bytes.len(),
                limit: self.max_bytes,
            });
        }
        let extension = Path::new(file_name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(&(_, media_type)) = TYPES.iter().find(|(e, _)| *e == extension) else {
            let mut accepted: Vec<&str> = TYPES.iter().map(|(e, _)| *e).collect();
            accepted.dedup();
            return Err(FileError::TypeNotAllowed {
                name,
                extension,
                accepted: accepted.join(", "),
            });
        };
        let found = content_type(bytes);
        if found.as_deref() != Some(media_type) {
            let found = found.map_or("not recognisable".to_string(), |t| format!("`{t}`"));
            return Err(FileError::Disguised {
                name,
                extension,
                found,
            });
        }
        Ok(CheckedFile {
            sha256: sha256_hex(bytes),
            size: bytes.len(),
            media_type: media_type.to_string(),
            file_name: name,
        })
    }

    /// Checks and stores a file; storing the same content again changes nothing.
    pub async fn put(&self, file_name: &str, bytes: &[u8]) -> Result<CheckedFile, FileError> {
        let checked = self.check(file_name, bytes)?;
        let key = key_of(&checked.sha256)?;
        // Concurrent uploads of the same file (in one process or several)
        // each write the same content: whichever lands last changes nothing.
        if !self.blobs.exists(&key).await? {
            self.blobs.put(&key, bytes.to_vec()).await?;
        }
        Ok(checked)
    }

    /// The stored content, if any; content that no longer matches its hash is an error.
    pub async fn get(&self, sha256: &str) -> Result<Option<Vec<u8>>, FileError> {
        let key = key_of(sha256)?;
        match self.blobs.get(&key).await? {
            Some(bytes) if sha256_hex(&bytes) == sha256 => Ok(Some(bytes)),
            Some(_) => Err(FileError::Io {
                path: format!("{}/{key}", self.blobs.location()),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the content no longer matches its SHA-256",
                ),
            }),
            None => Ok(None),
        }
    }
}

/// Where a file of this SHA-256 is kept: `ab/abcdef…`.
fn key_of(sha256: &str) -> Result<String, FileError> {
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(FileError::BadHash(sha256.to_string()));
    }
    Ok(format!("{}/{sha256}", &sha256[..2]))
}

/// The media type the content shows, by its magic bytes; UTF-8 text without
/// NUL bytes counts as CSV (the only text type accepted).
fn content_type(bytes: &[u8]) -> Option<String> {
    if let Some(t) = infer::get(bytes) {
        return Some(t.mime_type().to_string());
    }
    (std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)).then(|| "text/csv".to_string())
}
