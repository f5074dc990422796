//! A year's counts kept per month, so recomputing after a new month's
//! import reads only that month: each month's counts are cached with the
//! fingerprint of what made them (its files' names, sizes and modification
//! times, and the pack, register and calendar), and only months whose
//! fingerprint changed are counted again.

use crate::engine::{Breakdown, Counts, count};
use crate::pack::{COUNTS, IndicatorPack};
use crate::records::month_dir;
use crate::{AnalyticsError, Result, io};
use datafusion::prelude::SessionContext;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize)]
struct Cached {
    fingerprint: String,
    groups: Vec<(String, Option<String>, u32, Vec<u64>)>,
}

/// What a month's counts depend on; `None` when the month has no records.
pub fn fingerprint(root: &Path, year: i32, month: u32, inputs: &str) -> Result<Option<String>> {
    let dir = month_dir(root, year, month);
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
        let path = entry.map_err(io(&dir))?.path();
        let meta = std::fs::metadata(&path).map_err(io(&path))?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        files.push(format!(
            "{}\t{}\t{modified}",
            path.file_name().unwrap_or_default().to_string_lossy(),
            meta.len()
        ));
    }
    if files.is_empty() {
        return Ok(None);
    }
    files.sort();
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
    root: &Path,
    cache: &Path,
    year: i32,
    inputs: &str,
) -> Result<(Breakdown, Vec<u32>)> {
    let inputs = format!("{}\n{inputs}", pack.hash);
    let mut out = Breakdown::default();
    let mut stale = Vec::new();
    for month in 1..=12 {
        let Some(fp) = fingerprint(root, year, month, &inputs)? else {
            continue;
        };
        match read(&cache_file(cache, pack, year, month)) {
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
        let path = cache_file(cache, pack, year, *month);
        let dir = path.parent().expect("a cache file has a folder");
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let text = serde_json::to_string(&Cached {
            fingerprint: fp.clone(),
            groups,
        })
        .map_err(|e| AnalyticsError::Input(e.to_string()))?;
        // Written aside and renamed, so an interrupted write leaves no half file.
        let part = path.with_extension("part");
        std::fs::write(&part, text).map_err(io(&part))?;
        std::fs::rename(&part, &path).map_err(io(&path))?;
    }
    out.merge(fresh);
    Ok((out, months))
}

fn cache_file(cache: &Path, pack: &IndicatorPack, year: i32, month: u32) -> PathBuf {
    cache
        .join(format!("{}-v{}", pack.id, pack.version))
        .join(year.to_string())
        .join(format!("{month}.json"))
}

fn read(path: &Path) -> Option<Cached> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn from_cached(c: Cached) -> Breakdown {
    let mut b = Breakdown::default();
    for (d, v, m, counts) in c.groups {
        b.groups.insert((d, v, m), Counts::from_values(&counts));
    }
    b
}
