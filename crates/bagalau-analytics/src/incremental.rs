//! A year's counts kept per month, so recomputing after a new month's
//! import reads only that month: each month's counts are cached with the
//! fingerprint of what made them (its files' names, sizes and versions, and
//! the pack, register and calendar), and only months whose fingerprint
//! changed are counted again. Records and cache live in one blob store (a
//! folder or S3-compatible storage), so servers sharing a bucket share
//! the cache.

use crate::engine::{Breakdown, Counts, count};
use crate::pack::{COUNTS, IndicatorPack};
use crate::{AnalyticsError, Result};
use bagalau_blobs::BlobStore;
use datafusion::prelude::SessionContext;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Serialize, Deserialize)]
struct Cached {
    fingerprint: String,
    groups: Vec<(String, Option<String>, u32, Vec<u64>)>,
}

/// The key prefix of a month's records in the blob store.
pub fn month_prefix(year: i32, month: u32) -> String {
    format!("deliveries/year={year}/month={month}/")
}

pub(crate) fn failed(e: bagalau_blobs::BlobError) -> AnalyticsError {
    AnalyticsError::Input(e.to_string())
}

/// What a month's counts depend on; `None` when the month has no records.
pub async fn fingerprint(
    blobs: &BlobStore,
    year: i32,
    month: u32,
    inputs: &str,
) -> Result<Option<String>> {
    let files: Vec<String> = blobs
        .list_versions(&month_prefix(year, month))
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|f| {
            let name = f.key.rsplit('/').next()?.to_string();
            // What the engine reads: Parquet files, nothing half-written.
            (name.ends_with(".parquet") && !name.starts_with('.'))
                .then(|| format!("{name}\t{}\t{}", f.size, f.version))
        })
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    let mut h = Sha256::new();
    h.update(inputs.as_bytes());
    for f in files {
        h.update(f.as_bytes());
        h.update(b"\n");
    }
    Ok(Some(hex::encode(h.finalize())))
}

/// The year's counts: cached months as they are, changed months counted
/// again (and cached). Also returns the months that were counted.
pub async fn count_year(
    ctx: &SessionContext,
    pack: &IndicatorPack,
    blobs: &BlobStore,
    year: i32,
    inputs: &str,
) -> Result<(Breakdown, Vec<u32>)> {
    let inputs = format!("{}\n{inputs}", pack.hash);
    let mut out = Breakdown::default();
    let mut stale = Vec::new();
    for month in 1..=12 {
        let Some(fp) = fingerprint(blobs, year, month, &inputs).await? else {
            continue;
        };
        match read(blobs, &cache_key(pack, year, month)).await {
            Some(c) if c.fingerprint == fp => out.merge(from_cached(c)),
            _ => stale.push((month, fp)),
        }
    }
    let months: Vec<u32> = stale.iter().map(|(m, _)| *m).collect();
    let fresh = count(ctx, pack, year, &months).await?;
    for (month, fp) in &stale {
        let groups = fresh
            .groups
            .iter()
            .filter(|((_, _, m), _)| m == month)
            .map(|((d, v, m), c)| (d.clone(), v.clone(), *m, COUNTS.map(|n| c.get(n)).to_vec()))
            .collect::<Vec<_>>();
        if groups.is_empty() {
            // Files without a single record (or not seen by this session):
            // nothing worth keeping; counted again next time.
            continue;
        }
        let text = serde_json::to_vec(&Cached {
            fingerprint: fp.clone(),
            groups,
        })
        .map_err(|e| AnalyticsError::Input(e.to_string()))?;
        // A put is whole or nothing: no half entry is ever read.
        blobs
            .put(&cache_key(pack, year, *month), text)
            .await
            .map_err(failed)?;
    }
    out.merge(fresh);
    Ok((out, months))
}

fn cache_key(pack: &IndicatorPack, year: i32, month: u32) -> String {
    format!("cache/{}-v{}/{year}/{month}.json", pack.id, pack.version)
}

/// A cache entry; none when missing or unreadable (then counted again).
async fn read(blobs: &BlobStore, key: &str) -> Option<Cached> {
    serde_json::from_slice(&blobs.get(key).await.ok()??).ok()
}

fn from_cached(c: Cached) -> Breakdown {
    let mut b = Breakdown::default();
    for (d, v, m, counts) in c.groups {
        b.groups.insert((d, v, m), Counts::from_values(&counts));
    }
    b
}
