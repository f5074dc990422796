//! One store for the files that stay files (evidence uploads, delivery
//! records as Parquet and their counts' cache): a local directory, the
//! embedded default, or
//! S3-compatible object storage, both through the `object_store` crate
//! that the analytics engine reads with. Two servers given the same bucket
//! see the same files; a local directory serves one machine.
//!
//! Locations: a directory path (created if missing), or
//! `s3://BUCKET[/PREFIX]`, whose credentials, region and endpoint come from
//! the usual `AWS_*` variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_REGION`, `AWS_ENDPOINT` and `AWS_ALLOW_HTTP` for a server other than
//! Amazon's) or from options given with the location.

use futures::TryStreamExt;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The crate the backends are written with (the analytics engine reads
/// through the same one).
pub use object_store;

#[cfg(feature = "testing")]
pub mod testing;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the file store `{location}`: {message}")]
    Location { location: String, message: String },
    #[error("the file store {location}: {message}")]
    Backend { location: String, message: String },
}

/// A blob store: where, and the backend.
#[derive(Debug, Clone)]
pub struct BlobStore {
    location: String,
    inner: Arc<dyn ObjectStore>,
    /// The folder, for a local store.
    directory: Option<PathBuf>,
}

/// A stored object as a listing gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub key: String,
    pub size: u64,
    /// Changes whenever the content is replaced: the entity tag where the
    /// backend gives one, else the time it was written.
    pub version: String,
}

impl BlobStore {
    /// Opens the store at `location` (see the module's documentation).
    pub fn open(location: &str) -> Result<BlobStore, BlobError> {
        BlobStore::open_with(location, std::iter::empty::<(String, String)>())
    }

    /// Opens the store at `location`, an S3 bucket configured by the
    /// `AWS_*` variables and then by `options` (`object_store`'s keys, such
    /// as `aws_endpoint` or `aws_allow_http`); options are ignored for a
    /// directory.
    pub fn open_with(
        location: &str,
        options: impl IntoIterator<Item = (String, String)>,
    ) -> Result<BlobStore, BlobError> {
        let bad = |message: String| BlobError::Location {
            location: location.to_string(),
            message,
        };
        let mut directory = None;
        let inner: Arc<dyn ObjectStore> = if let Some(rest) = location.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad("no bucket named".into()));
            }
            let mut builder =
                object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
            for (key, value) in options {
                let key: object_store::aws::AmazonS3ConfigKey =
                    key.parse().map_err(|e| bad(format!("{e}")))?;
                builder = builder.with_config(key, value);
            }
            let s3 = builder.build().map_err(|e| bad(e.to_string()))?;
            let prefix = prefix.trim_matches('/');
            if prefix.is_empty() {
                Arc::new(s3)
            } else {
                Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
            }
        } else if location.contains("://") {
            return Err(bad(
                "not a directory or an s3:// bucket (the file stores Bagalau knows)".into(),
            ));
        } else {
            std::fs::create_dir_all(location).map_err(|e| bad(e.to_string()))?;
            directory = Some(std::path::absolute(location).map_err(|e| bad(e.to_string()))?);
            Arc::new(
                object_store::local::LocalFileSystem::new_with_prefix(location)
                    .map_err(|e| bad(e.to_string()))?,
            )
        };
        Ok(BlobStore {
            location: location.to_string(),
            inner,
            directory,
        })
    }

    /// Where the store is, as configured.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The folder of a local store; none for object storage.
    pub fn directory(&self) -> Option<&Path> {
        self.directory.as_deref()
    }

    /// The backend itself, keys relative to the store's location, for an
    /// engine that reads objects on its own (DataFusion registers it).
    pub fn objects(&self) -> Arc<dyn ObjectStore> {
        self.inner.clone()
    }

    fn failed(&self, e: impl std::fmt::Display) -> BlobError {
        BlobError::Backend {
            location: self.location.clone(),
            message: e.to_string(),
        }
    }

    /// Writes `bytes` under `key`, replacing what is there (whole or not at
    /// all: a local file is renamed into place, an object appears whole).
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), BlobError> {
        self.inner
            .put(&Key::from(key), PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| self.failed(e))
    }

    /// The content under `key`, if there is one.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match self.inner.get(&Key::from(key)).await {
            Ok(found) => found
                .bytes()
                .await
                .map(|b| Some(b.to_vec()))
                .map_err(|e| self.failed(e)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.failed(e)),
        }
    }

    /// Whether something is stored under `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, BlobError> {
        match self.inner.head(&Key::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.failed(e)),
        }
    }

    /// The keys under `prefix`, sorted.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        let prefix = Key::from(prefix);
        let mut keys: Vec<String> = self
            .inner
            .list(Some(&prefix))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .map_err(|e| self.failed(e))?;
        keys.sort();
        Ok(keys)
    }

    /// Removes what is under `key`; nothing there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.inner.delete(&Key::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.failed(e)),
        }
    }

    /// The objects under `prefix` with their sizes and versions, sorted by key.
    pub async fn list_versions(&self, prefix: &str) -> Result<Vec<Listed>, BlobError> {
        let prefix = Key::from(prefix);
        let mut listed: Vec<Listed> = self
            .inner
            .list(Some(&prefix))
            .map_ok(|meta| Listed {
                key: meta.location.to_string(),
                size: meta.size,
                version: meta.e_tag.unwrap_or_else(|| {
                    meta.last_modified
                        .timestamp_nanos_opt()
                        .unwrap_or(0)
                        .to_string()
                }),
            })
            .try_collect()
            .await
            .map_err(|e| self.failed(e))?;
        listed.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(listed)
    }

    /// Copies the local file at `path` under `key`, read as a stream and
    /// sent in parts when large (a file of records may not fit in memory).
    /// The object appears whole or not at all.
    pub async fn put_file(&self, key: &str, path: &Path) -> Result<(), BlobError> {
        use tokio::io::AsyncWriteExt;
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| self.failed(format!("{}: {e}", path.display())))?;
        let mut out = object_store::buffered::BufWriter::new(self.inner.clone(), Key::from(key));
        let copied = tokio::io::copy(&mut file, &mut out).await;
        match copied {
            Ok(_) => out.shutdown().await.map_err(|e| self.failed(e)),
            Err(e) => {
                let _ = out.abort().await;
                Err(self.failed(e))
            }
        }
    }
}
