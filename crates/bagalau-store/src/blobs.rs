//! One store for the files that stay files (evidence uploads now; delivery
//! records and caches next): a local directory, the embedded default, or
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
use std::sync::Arc;

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
            Arc::new(
                object_store::local::LocalFileSystem::new_with_prefix(location)
                    .map_err(|e| bad(e.to_string()))?,
            )
        };
        Ok(BlobStore {
            location: location.to_string(),
            inner,
        })
    }

    /// Where the store is, as configured.
    pub fn location(&self) -> &str {
        &self.location
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
}
