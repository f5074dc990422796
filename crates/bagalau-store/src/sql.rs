//! The one implementation of [`Store`](crate::Store) over SQL, shared by
//! SQLite and PostgreSQL: the SQL is portable (numbered `$n` placeholders,
//! `ON CONFLICT`, standard types), so one text serves both.

/// The registry, the packs and the register of services as parsed, by the
/// SHA-256 of their stored text:
/// requests read them all the time, and parsing is far dearer than a lookup.
#[derive(Debug, Clone, Default)]
pub struct ParseCache(std::sync::Arc<std::sync::Mutex<Parsed>>);

#[derive(Debug, Default)]
pub struct Parsed {
    generation: u64,
    registry: Option<(String, bagalau_core::registry::Registry)>,
    service_register: Option<(String, bagalau_services::register::Register)>,
    packs: std::collections::HashMap<String, crate::StoredPack>,
}

impl ParseCache {
    /// Counts this process's writes, so that what is derived from the
    /// data can tell it is stale without asking the database.
    pub fn written(&self) {
        self.lock().generation += 1;
    }

    /// (an identity of this store in the process, its write count).
    pub fn generation(&self) -> (usize, u64) {
        (
            std::sync::Arc::as_ptr(&self.0) as usize,
            self.lock().generation,
        )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Parsed> {
        // A panic elsewhere leaves the map itself intact.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn registry(&self, hash: &str) -> Option<bagalau_core::registry::Registry> {
        self.lock()
            .registry
            .as_ref()
            .filter(|(h, _)| h == hash)
            .map(|(_, r)| r.clone())
    }

    pub fn keep_registry(&self, hash: String, r: &bagalau_core::registry::Registry) {
        self.lock().registry = Some((hash, r.clone()));
    }

    pub fn service_register(&self, hash: &str) -> Option<bagalau_services::register::Register> {
        self.lock()
            .service_register
            .as_ref()
            .filter(|(h, _)| h == hash)
            .map(|(_, r)| r.clone())
    }

    pub fn keep_service_register(&self, hash: String, r: &bagalau_services::register::Register) {
        self.lock().service_register = Some((hash, r.clone()));
    }

    pub fn pack(&self, hash: &str) -> Option<crate::StoredPack> {
        self.lock().packs.get(hash).cloned()
    }

    pub fn keep_pack(&self, hash: String, p: &crate::StoredPack) {
        self.lock().packs.insert(hash, p.clone());
    }
}

/// Stores a one-row document table (`registry`, `service_register`): its
/// text replaces the stored one, and the change is audited with the old
/// and the new text.
macro_rules! put_document {
    ($tx:ident, $changes:ident, $table:literal, $file_name:expr, $text:expr, $at:expr) => {
        let old: Option<(String,)> =
            sqlx::query_as(concat!("SELECT content FROM ", $table, " WHERE id = 1"))
                .fetch_optional(&mut *$tx)
                .await?;
        let old = old.map(|o| o.0);
        if old.as_deref() != Some($text.as_str()) {
            $changes.push(audit::Change {
                entity: $table,
                key: $table.into(),
                old,
                new: Some($text.clone()),
            });
        }
        sqlx::query(concat!(
            "INSERT INTO ",
            $table,
            " (id, file_name, content, content_hash, imported_at) VALUES (1, $1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, content = excluded.content,
             content_hash = excluded.content_hash, imported_at = excluded.imported_at"
        ))
        .bind($file_name)
        .bind($text)
        .bind(bagalau_core::hash::sha256_hex($text.as_bytes()))
        .bind($at)
        .execute(&mut *$tx)
        .await?;
    };
}

/// Inserts new versions into a table of immutable published versions
/// (`publications`, `service_ratings`), each audited as `$entity` with its content.
/// A version that exists already fails the batch: versions are never replaced.
macro_rules! insert_versions {
    ($tx:ident, $changes:ident, $table:literal, $entity:literal, $versions:expr) => {
        for (p, content) in $versions {
            sqlx::query(concat!(
                "INSERT INTO ",
                $table,
                " (year, version, content, content_hash, published_at, published_by, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            ))
            .bind(p.year)
            .bind(p.version)
            .bind(content)
            .bind(&p.content_sha256)
            .bind(&p.published_at)
            .bind(&p.published_by)
            .bind(&p.reason)
            .execute(&mut *$tx)
            .await?;
            $changes.push(audit::Change {
                entity: $entity,
                key: format!("{}/{}", p.year, p.version),
                old: None,
                new: Some(content.clone()),
            });
        }
    };
}

/// The versions in such a table, oldest first (all years when `$year` is None).
macro_rules! read_versions {
    ($self:ident, $table:literal, $year:expr) => {{
        let rows: Vec<(i32, i32, String, String, String, Option<String>)> =
            sqlx::query_as(concat!(
                "SELECT year, version, content_hash, published_at, published_by, reason FROM ",
                $table,
                " WHERE $1 IS NULL OR year = $2 ORDER BY year, version"
            ))
            .bind($year)
            .bind($year)
            .fetch_all(&$self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(year, version, content_sha256, published_at, published_by, reason)| Publication {
                    year,
                    version,
                    content_sha256,
                    published_at,
                    published_by,
                    reason,
                },
            )
            .collect())
    }};
}

/// The content of one version in such a table.
macro_rules! read_version_content {
    ($self:ident, $table:literal, $year:expr, $version:expr) => {{
        let row: Option<(String,)> = sqlx::query_as(concat!(
            "SELECT content FROM ",
            $table,
            " WHERE year = $1 AND version = $2"
        ))
        .bind($year)
        .bind($version)
        .fetch_optional(&$self.pool)
        .await?;
        Ok(row.map(|r| r.0))
    }};
}

/// What the audit trail records of a failed login: where it came from,
/// when known.
pub(crate) fn login_failure_content(source: &str) -> String {
    if source.is_empty() {
        "failed".into()
    } else {
        format!("failed from {source}")
    }
}

/// A stored login attempt's time ([`crate::login_time`], or RFC 3339 for
/// failures kept from before attempts were reserved).
pub(crate) fn parse_login_time(text: &str) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.naive_utc())
}

/// A write transaction: begun as the store begins writes (SQLite: `BEGIN
/// IMMEDIATE`) and holding its write lock (PostgreSQL: an advisory lock),
/// so writes never race, in one process or several.
macro_rules! begin_write {
    ($self:ident, $store:ty) => {{
        let mut tx = $self.pool.begin_with(<$store>::BEGIN_WRITE).await?;
        if let Some(lock) = <$store>::WRITE_LOCK {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        tx
    }};
}

/// Writes hashes of the audit trail's Merkle tree (index, hash).
macro_rules! insert_tree {
    ($tx:ident, $hashes:expr) => {{
        let rows: Vec<(i64, String)> = $hashes
            .map(|(i, h): (u64, bagalau_core::transparency::Hash)| {
                (i as i64, bagalau_core::transparency::encode(&h))
            })
            .collect();
        for chunk in rows.chunks(400) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO audit_tree (idx, hash) ");
            q.push_values(chunk, |mut b, (i, h)| {
                b.push_bind(*i).push_bind(h.clone());
            });
            q.push(" ON CONFLICT (idx) DO UPDATE SET hash = excluded.hash");
            q.build().execute(&mut *$tx).await?;
        }
    }};
}

/// Grows the stored Merkle tree of the audit trail from `old` entries by
/// `leaves`, and gives the new root. A trail written before the tree was
/// kept has its tree built from its entries first.
macro_rules! grow_tree {
    ($tx:ident, $old:expr, $leaves:expr) => {{
        use bagalau_core::transparency as tlog;
        let old: u64 = $old;
        let indexes = tlog::frontier(old);
        let mut frontier = Vec::with_capacity(indexes.len());
        for index in &indexes {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT hash FROM audit_tree WHERE idx = $1")
                    .bind(*index as i64)
                    .fetch_optional(&mut *$tx)
                    .await?;
            match row {
                Some((h,)) => frontier.push(tlog::decode(&h)?),
                None => break,
            }
        }
        if frontier.len() != indexes.len() {
            let hashes: Vec<(String,)> =
                sqlx::query_as("SELECT hash FROM audit_log WHERE seq <= $1 ORDER BY seq")
                    .bind(old as i64)
                    .fetch_all(&mut *$tx)
                    .await?;
            let tree = tlog::Tree::of(hashes.iter().map(|(h,)| h.as_str()));
            $crate::sql::insert_tree!($tx, tree.stored_hashes());
            frontier = tree.hashes_at(&indexes)?;
        }
        let growth = tlog::grow(old, &frontier, $leaves)?;
        $crate::sql::insert_tree!($tx, growth.stored.into_iter());
        growth.root
    }};
}

/// Implements `Store` for a type with a `pool` of an sqlx database, a
/// `read_only` flag and a `parsed` cache.
macro_rules! sql_store {
    ($store:ty) => {
        impl $crate::Store for $store {
            async fn apply(&self, batch: ImportBatch) -> Result<ImportCounts> {
                if self.read_only {
                    return Err(StoreError::ReadOnly(self.path.clone()));
                }
                let mut counts = ImportCounts::default();
                let mut changes: Vec<audit::Change> = Vec::new();
                let mut tx = $crate::sql::begin_write!(self, $store);
                if let Some(Document {
                    file_name,
                    text,
                    parsed,
                }) = &batch.registry
                {
                    $crate::sql::put_document!(tx, changes, "registry", file_name, text, &batch.at);
                    // Bodies the new registry drops go too (the caller has checked they hold no data).
                    let stored: Vec<(String,)> = sqlx::query_as("SELECT id FROM bodies")
                        .fetch_all(&mut *tx)
                        .await?;
                    for (id,) in stored {
                        if parsed.body(&id).is_none() {
                            sqlx::query("DELETE FROM bodies WHERE id = $1")
                                .bind(&id)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    for b in &parsed.bodies {
                        sqlx::query("INSERT INTO bodies (id, kind, name_kk, name_ru, name_en) VALUES ($1, $2, $3, $4, $5)
                                     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name_kk = excluded.name_kk,
                                     name_ru = excluded.name_ru, name_en = excluded.name_en")
                            .bind(&b.id)
                            .bind(b.kind.as_str())
                            .bind(&b.name.kk)
                            .bind(&b.name.ru)
                            .bind(&b.name.en)
                            .execute(&mut *tx)
                            .await?;
                        counts.bodies += 1;
                    }
                }
                if let Some(Document { file_name, text, .. }) = &batch.service_register {
                    $crate::sql::put_document!(tx, changes, "service_register", file_name, text, &batch.at);
                }
                if let Some(crate::CalendarAdditions { file_name, text, .. }) = &batch.calendar_additions {
                    $crate::sql::put_document!(tx, changes, "calendar_additions", file_name, text, &batch.at);
                }
                for r in &batch.record_imports {
                    let old: Option<$crate::sql::RecordImportRow> = sqlx::query_as(concat!("SELECT ", $crate::sql::RECORD_IMPORT_COLUMNS!(), " FROM record_imports WHERE id = $1"))
                        .bind(&r.id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO record_imports (id, file_name, content_sha256, size, format, requested_by, requested_at, state, finished_at, outcome)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                         ON CONFLICT (id) DO UPDATE SET state = excluded.state, finished_at = excluded.finished_at, outcome = excluded.outcome",
                    )
                    .bind(&r.id)
                    .bind(&r.file_name)
                    .bind(&r.content_sha256)
                    .bind(r.size)
                    .bind(&r.format)
                    .bind(&r.requested_by)
                    .bind(&r.requested_at)
                    .bind(&r.state)
                    .bind(&r.finished_at)
                    .bind(&r.outcome)
                    .execute(&mut *tx)
                    .await?;
                    changes.push(audit::Change {
                        entity: "record_import",
                        key: r.id.clone(),
                        old: old.map(|o| $crate::sql::record_import_from_row(o).audit_content()),
                        new: Some(r.audit_content()),
                    });
                }
                for p in &batch.packs {
                    let old: Option<(String, String, Option<String>)> =
                        sqlx::query_as("SELECT content, content_hash, adopted_at FROM packs WHERE year = $1").bind(p.parsed.year).fetch_optional(&mut *tx).await?;
                    let (old, old_hash, adopted) = match old {
                        Some((content, hash, adopted)) => (Some(content), Some(hash), adopted),
                        None => (None, None, None),
                    };
                    if old.as_deref() != Some(p.text.as_str()) {
                        changes.push(audit::Change { entity: "pack", key: p.parsed.year.to_string(), old, new: Some(p.text.clone()) });
                    }
                    // Another methodology is a draft again: its adoption goes.
                    if let (Some(old_hash), Some(_)) = (&old_hash, &adopted)
                        && *old_hash != p.parsed.content_hash
                    {
                        changes.push(audit::Change { entity: "adoption", key: p.parsed.year.to_string(), old: Some(crate::adoption_content(old_hash)), new: None });
                    }
                    sqlx::query("INSERT INTO packs (year, pack_id, file_name, content, content_hash, imported_at) VALUES ($1, $2, $3, $4, $5, $6)
                                 ON CONFLICT (year) DO UPDATE SET pack_id = excluded.pack_id, file_name = excluded.file_name,
                                 content = excluded.content, content_hash = excluded.content_hash, imported_at = excluded.imported_at,
                                 adopted_at = CASE WHEN packs.content_hash = excluded.content_hash THEN packs.adopted_at ELSE NULL END,
                                 adopted_by = CASE WHEN packs.content_hash = excluded.content_hash THEN packs.adopted_by ELSE NULL END")
                        .bind(p.parsed.year)
                        .bind(&p.parsed.id)
                        .bind(&p.file_name)
                        .bind(&p.text)
                        .bind(&p.parsed.content_hash)
                        .bind(&batch.at)
                        .execute(&mut *tx)
                        .await?;
                    counts.packs += 1;
                }
                for year in &batch.pack_adoptions {
                    let row: Option<(String, Option<String>)> =
                        sqlx::query_as("SELECT content_hash, adopted_at FROM packs WHERE year = $1").bind(year).fetch_optional(&mut *tx).await?;
                    match row {
                        None => return Err(StoreError::Corrupt { what: format!("methodology for {year}"), message: "there is no pack to adopt".into() }),
                        Some((_, Some(_))) => {}
                        Some((hash, None)) => {
                            sqlx::query("UPDATE packs SET adopted_at = $1, adopted_by = $2 WHERE year = $3")
                                .bind(&batch.at)
                                .bind(&batch.actor)
                                .bind(year)
                                .execute(&mut *tx)
                                .await?;
                            changes.push(audit::Change { entity: "adoption", key: year.to_string(), old: None, new: Some(crate::adoption_content(&hash)) });
                        }
                    }
                }
                for (o, origin) in &batch.observations {
                    let existing: Option<(Option<f64>, Option<String>, String)> =
                        sqlx::query_as("SELECT value, note, origin FROM reporting_values WHERE year = $1 AND body_id = $2 AND indicator_id = $3")
                            .bind(o.year)
                            .bind(&o.body)
                            .bind(&o.indicator)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let old = match &existing {
                        Some((v, _, _)) if *v == o.value => {
                            counts.values_unchanged += 1;
                            continue;
                        }
                        Some((v, note, origin)) => {
                            counts.values_changed += 1;
                            Some(audit::value_content(*v, note.as_deref(), origin))
                        }
                        None => {
                            counts.values_new += 1;
                            None
                        }
                    };
                    changes.push(audit::Change {
                        entity: "value",
                        key: format!("{}/{}/{}", o.year, o.body, o.indicator),
                        old,
                        new: Some(audit::value_content(o.value, o.note.as_deref(), origin)),
                    });
                    sqlx::query("INSERT INTO reporting_values (year, body_id, indicator_id, value, note, origin, imported_at)
                                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                                 ON CONFLICT (year, body_id, indicator_id) DO UPDATE SET value = excluded.value,
                                 note = excluded.note, origin = excluded.origin, imported_at = excluded.imported_at")
                        .bind(o.year)
                        .bind(&o.body)
                        .bind(&o.indicator)
                        .bind(o.value)
                        .bind(&o.note)
                        .bind(origin)
                        .bind(&batch.at)
                        .execute(&mut *tx)
                        .await?;
                }
                for p in &batch.performance_packs {
                    let old: Option<(String,)> = sqlx::query_as("SELECT content FROM performance_packs WHERE year = $1").bind(p.parsed.year).fetch_optional(&mut *tx).await?;
                    let old = old.map(|o| o.0);
                    if old.as_deref() != Some(p.text.as_str()) {
                        changes.push(audit::Change { entity: "performance_pack", key: p.parsed.year.to_string(), old, new: Some(p.text.clone()) });
                    }
                    sqlx::query(
                        "INSERT INTO performance_packs (year, pack_id, file_name, content, content_hash, imported_at) VALUES ($1, $2, $3, $4, $5, $6)
                         ON CONFLICT (year) DO UPDATE SET pack_id = excluded.pack_id, file_name = excluded.file_name,
                         content = excluded.content, content_hash = excluded.content_hash, imported_at = excluded.imported_at",
                    )
                    .bind(p.parsed.year)
                    .bind(&p.parsed.id)
                    .bind(&p.file_name)
                    .bind(&p.text)
                    .bind(&p.parsed.content_hash)
                    .bind(&batch.at)
                    .execute(&mut *tx)
                    .await?;
                    counts.performance_packs += 1;
                }
                for (o, origin) in &batch.series {
                    let existing: Option<(f64, Option<String>, String)> =
                        sqlx::query_as("SELECT value, source, origin FROM series WHERE entity = $1 AND indicator = $2 AND year = $3")
                    .bind(&o.entity)
                    .bind(&o.indicator)
                    .bind(o.year)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let old = match &existing {
                        Some((v, _, _)) if *v == o.value => {
                            counts.series_unchanged += 1;
                            continue;
                        }
                        Some((v, source, origin)) => {
                            counts.series_changed += 1;
                            Some(audit::series_content(*v, source.as_deref(), origin))
                        }
                        None => {
                            counts.series_new += 1;
                            None
                        }
                    };
                    changes.push(audit::Change {
                        entity: "series",
                        key: format!("{}/{}/{}", o.entity, o.indicator, o.year),
                        old,
                        new: Some(audit::series_content(o.value, o.source.as_deref(), origin)),
                    });
                    sqlx::query(
                        "INSERT INTO series (entity, indicator, year, value, source, origin, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (entity, indicator, year) DO UPDATE SET value = excluded.value, source = excluded.source,
                         origin = excluded.origin, imported_at = excluded.imported_at",
                    )
                    .bind(&o.entity)
                    .bind(&o.indicator)
                    .bind(o.year)
                    .bind(o.value)
                    .bind(&o.source)
                    .bind(origin)
                    .bind(&batch.at)
                    .execute(&mut *tx)
                    .await?;
                }
                for a in &batch.assessments {
                    let json = serde_json::to_string(&a.results).map_err(|e| crate::sql::corrupt("results", e))?;
                    let done = sqlx::query("INSERT INTO assessments (year, pack_hash, input_hash, pack_id, demonstration, results, computed_at)
                                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
                        .bind(a.year)
                        .bind(&a.pack_hash)
                        .bind(&a.input_hash)
                        .bind(&a.pack_id)
                        .bind(a.demonstration)
                        .bind(&json)
                        .bind(&batch.at)
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() > 0 {
                        counts.assessments += 1;
                        changes.push(audit::Change { entity: "assessment", key: format!("{}/{}/{}", a.year, a.pack_hash, a.input_hash), old: None, new: Some(json.clone()) });
                    }
                }
                $crate::sql::insert_versions!(tx, changes, "publications", "publication", &batch.publications);
                $crate::sql::insert_versions!(tx, changes, "service_ratings", "service_ratings", &batch.service_ratings);
                // Accounts whose every token goes: a changed password, a disabled account.
                let mut revoke_all: Vec<String> = Vec::new();
                for u in &batch.users {
                    let old = sqlx::query_as::<_, (String, Option<String>)>("SELECT password_hash, disabled_at FROM users WHERE name = $1").bind(&u.name).fetch_optional(&mut *tx).await?;
                    let old_content = match old {
                        Some((hash, disabled_at)) => {
                            if hash != u.password_hash || (disabled_at.is_none() && u.disabled_at.is_some()) {
                                revoke_all.push(u.name.clone());
                            }
                            let roles: Vec<(String,)> = sqlx::query_as("SELECT role FROM user_roles WHERE name = $1").bind(&u.name).fetch_all(&mut *tx).await?;
                            Some(crate::UserRecord { name: u.name.clone(), password_hash: hash, roles: roles.into_iter().map(|r| r.0).collect(), created_at: String::new(), disabled_at }.audit_content())
                        }
                        None => None,
                    };
                    sqlx::query(
                        "INSERT INTO users (name, password_hash, created_at, disabled_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, disabled_at = excluded.disabled_at",
                    )
                    .bind(&u.name)
                    .bind(&u.password_hash)
                    .bind(&u.created_at)
                    .bind(&u.disabled_at)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM user_roles WHERE name = $1").bind(&u.name).execute(&mut *tx).await?;
                    for role in &u.roles {
                        sqlx::query("INSERT INTO user_roles (name, role) VALUES ($1, $2)").bind(&u.name).bind(role).execute(&mut *tx).await?;
                    }
                    changes.push(audit::Change { entity: "user", key: u.name.clone(), old: old_content, new: Some(u.audit_content()) });
                }
                let mut revoked: Vec<String> = Vec::new();
                for name in &revoke_all {
                    let hashes: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM api_tokens WHERE name = $1").bind(name).fetch_all(&mut *tx).await?;
                    revoked.extend(hashes.into_iter().map(|h| h.0));
                }
                revoked.extend(batch.revoked_tokens.iter().cloned());
                for t in &batch.tokens {
                    sqlx::query("INSERT INTO api_tokens (token_hash, name, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(&t.token_hash)
                        .bind(&t.name)
                        .bind(&t.label)
                        .bind(&t.created_at)
                        .bind(&t.expires_at)
                        .execute(&mut *tx)
                        .await?;
                    changes.push(audit::Change { entity: "token", key: t.audit_key(), old: None, new: Some(t.audit_content()) });
                }
                for hash in &revoked {
                    let row: Option<(String, String, String, String, Option<String>)> =
                        sqlx::query_as("SELECT token_hash, name, label, created_at, expires_at FROM api_tokens WHERE token_hash = $1").bind(hash).fetch_optional(&mut *tx).await?;
                    if let Some((token_hash, name, label, created_at, expires_at)) = row {
                        sqlx::query("DELETE FROM api_tokens WHERE token_hash = $1").bind(hash).execute(&mut *tx).await?;
                        let t = crate::TokenRecord { token_hash, name, label, created_at, expires_at };
                        changes.push(audit::Change { entity: "token", key: t.audit_key(), old: Some(t.audit_content()), new: None });
                    }
                }
                for (year, calendar) in &batch.cycles {
                    let content = crate::calendar_content(calendar);
                    let old: Option<(String,)> = sqlx::query_as("SELECT calendar FROM cycles WHERE year = $1").bind(year).fetch_optional(&mut *tx).await?;
                    sqlx::query(
                        "INSERT INTO cycles (year, calendar, opened_at, opened_by) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (year) DO UPDATE SET calendar = excluded.calendar",
                    )
                    .bind(year)
                    .bind(&content)
                    .bind(&batch.at)
                    .bind(&batch.actor)
                    .execute(&mut *tx)
                    .await?;
                    changes.push(audit::Change { entity: "cycle", key: year.to_string(), old: old.map(|o| o.0), new: Some(content) });
                }
                for (year, e) in &batch.extensions {
                    sqlx::query("INSERT INTO extensions (year, body, until_at, granted_by, reason, granted_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(year)
                        .bind(&e.body)
                        .bind(crate::iso(&e.until))
                        .bind(&e.granted_by)
                        .bind(&e.reason)
                        .bind(&batch.at)
                        .execute(&mut *tx)
                        .await?;
                    changes.push(audit::Change { entity: "extension", key: format!("{year}/{}/{}", e.body, batch.at), old: None, new: Some(crate::extension_content(e)) });
                }
                for (year, body, state) in &batch.submissions {
                    let old: Option<(String,)> = sqlx::query_as("SELECT state FROM submissions WHERE year = $1 AND body = $2").bind(year).bind(body).fetch_optional(&mut *tx).await?;
                    sqlx::query(
                        "INSERT INTO submissions (year, body, state, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (year, body) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                    )
                    .bind(year)
                    .bind(body)
                    .bind(crate::state_text(*state))
                    .bind(&batch.at)
                    .bind(&batch.actor)
                    .execute(&mut *tx)
                    .await?;
                    let new = crate::state_text(*state).to_string();
                    if old.as_ref().map(|o| o.0.as_str()) != Some(new.as_str()) {
                        changes.push(audit::Change { entity: "submission", key: format!("{year}/{body}"), old: old.map(|o| o.0), new: Some(new) });
                    }
                }
                for (year, c) in &batch.conclusions {
                    let old: Option<(String, String)> = sqlx::query_as("SELECT author, text FROM conclusions WHERE year = $1 AND direction = $2 AND body = $3 AND is_final = $4")
                        .bind(year)
                        .bind(&c.direction)
                        .bind(&c.body)
                        .bind(c.is_final)
                        .fetch_optional(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO conclusions (year, direction, body, is_final, author, text, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (year, direction, body, is_final) DO UPDATE SET author = excluded.author, text = excluded.text, written_at = excluded.written_at",
                    )
                    .bind(year)
                    .bind(&c.direction)
                    .bind(&c.body)
                    .bind(c.is_final)
                    .bind(&c.author)
                    .bind(&c.text)
                    .bind(&batch.at)
                    .execute(&mut *tx)
                    .await?;
                    let kind = if c.is_final { "final" } else { "preliminary" };
                    changes.push(audit::Change {
                        entity: "conclusion",
                        key: format!("{year}/{}/{}/{kind}", c.direction, c.body),
                        old: old.map(|(a, t)| format!("author={a}; text={t}")),
                        new: Some(crate::conclusion_content(c)),
                    });
                }
                for (year, id, o) in &batch.objections {
                    let (id, old) = match id {
                        Some(id) => {
                            let row: Option<crate::sql::ObjectionRow> = sqlx::query_as(concat!("SELECT ", crate::sql::OBJECTION_COLUMNS!(), " FROM objections WHERE id = $1"))
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?;
                            let old = row.map(crate::sql::objection_from_row).transpose()?.map(|(_, _, o)| crate::objection_content(&o));
                            (*id, old)
                        }
                        None => {
                            let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM objections").fetch_one(&mut *tx).await?;
                            (max + 1, None)
                        }
                    };
                    sqlx::query(
                        "INSERT INTO objections (id, year, body, direction, criterion, filed_by, statement, state, decided_by, reason, filed_at, evidence)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                         ON CONFLICT (id) DO UPDATE SET state = excluded.state, decided_by = excluded.decided_by, reason = excluded.reason",
                    )
                    .bind(id)
                    .bind(year)
                    .bind(&o.body)
                    .bind(&o.direction)
                    .bind(&o.criterion)
                    .bind(&o.filed_by)
                    .bind(&o.statement)
                    .bind(crate::objection_state_text(o.state))
                    .bind(&o.decided_by)
                    .bind(&o.reason)
                    .bind(&batch.at)
                    .bind(serde_json::to_string(&o.evidence).expect("a list of strings serialises"))
                    .execute(&mut *tx)
                    .await?;
                    changes.push(audit::Change { entity: "objection", key: id.to_string(), old, new: Some(crate::objection_content(o)) });
                }
                for (id, r) in &batch.recommendations {
                    let (id, old) = match id {
                        Some(id) => {
                            let row: Option<crate::sql::RecommendationRow> = sqlx::query_as(concat!("SELECT ", crate::sql::RECOMMENDATION_COLUMNS!(), " FROM recommendations WHERE id = $1"))
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?;
                            let old = row.map(crate::sql::recommendation_from_row).transpose()?.map(|(_, r)| r.audit_content());
                            (*id, old)
                        }
                        None => {
                            let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM recommendations").fetch_one(&mut *tx).await?;
                            (max + 1, None)
                        }
                    };
                    sqlx::query(
                        "INSERT INTO recommendations (id, year, body, issued_by, text, due, state, report, reported_at, review_reason, issued_at, evidence)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                         ON CONFLICT (id) DO UPDATE SET state = excluded.state, report = excluded.report, reported_at = excluded.reported_at,
                         review_reason = excluded.review_reason, evidence = excluded.evidence",
                    )
                    .bind(id)
                    .bind(r.year)
                    .bind(&r.body)
                    .bind(&r.issued_by)
                    .bind(&r.text)
                    .bind(r.due.to_string())
                    .bind(r.state.as_str())
                    .bind(&r.report)
                    .bind(r.reported_at.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()))
                    .bind(&r.review_reason)
                    .bind(&batch.at)
                    .bind(serde_json::to_string(&r.evidence).expect("a list of strings serialises"))
                    .execute(&mut *tx)
                    .await?;
                    changes.push(audit::Change { entity: "recommendation", key: id.to_string(), old, new: Some(r.audit_content()) });
                }
                for e in &batch.evidence {
                    let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM evidence_uploads").fetch_one(&mut *tx).await?;
                    sqlx::query(
                        "INSERT INTO evidence_uploads (id, sha256, size, media_type, file_name, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(max + 1)
                    .bind(&e.sha256)
                    .bind(e.size)
                    .bind(&e.media_type)
                    .bind(&e.file_name)
                    .bind(&e.uploaded_by)
                    .bind(&batch.at)
                    .execute(&mut *tx)
                    .await?;
                    changes.push(audit::Change { entity: "evidence", key: (max + 1).to_string(), old: None, new: Some(e.audit_content()) });
                }
                for (year, body, sha256) in &batch.submission_evidence {
                    let inserted = sqlx::query(
                        "INSERT INTO submission_evidence (year, body, sha256, added_by, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year, body, sha256) DO NOTHING",
                    )
                    .bind(year)
                    .bind(body)
                    .bind(sha256)
                    .bind(&batch.actor)
                    .bind(&batch.at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if inserted > 0 {
                        changes.push(audit::Change { entity: "submission_evidence", key: format!("{year}/{body}/{sha256}"), old: None, new: Some("attached".into()) });
                    }
                }
                for id in &batch.login_failures {
                    let row: Option<(String,)> =
                        sqlx::query_as("UPDATE login_attempts SET failed = 1 WHERE id = $1 AND failed = 0 RETURNING source").bind(id).fetch_optional(&mut *tx).await?;
                    if let Some((source,)) = row {
                        changes.push(audit::Change { entity: "login_failure", key: id.clone(), old: None, new: Some($crate::sql::login_failure_content(&source)) });
                    }
                }
                for id in &batch.login_releases {
                    sqlx::query("DELETE FROM login_attempts WHERE id = $1 AND failed = 0").bind(id).execute(&mut *tx).await?;
                }
                for (id, c) in &batch.corrections {
                    let content = crate::correction_content(c);
                    match id {
                        None => {
                            let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM corrections").fetch_one(&mut *tx).await?;
                            sqlx::query("INSERT INTO corrections (id, year, requested_by, requested_at, reason, state, decided_by, decision, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                                .bind(max + 1)
                                .bind(c.year)
                                .bind(&c.requested_by)
                                .bind(&batch.at)
                                .bind(&c.reason)
                                .bind(c.state.as_str())
                                .bind(&c.decided_by)
                                .bind(&c.decision)
                                .bind(c.version)
                                .execute(&mut *tx)
                                .await?;
                            changes.push(audit::Change { entity: "correction", key: (max + 1).to_string(), old: None, new: Some(content) });
                        }
                        Some(id) => {
                            let row: Option<crate::sql::CorrectionRow> = sqlx::query_as(concat!("SELECT ", crate::sql::CORRECTION_COLUMNS!(), " FROM corrections WHERE id = $1"))
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?;
                            let old = row.map(crate::sql::correction_from_row).transpose()?.map(|(_, c)| c);
                            sqlx::query("UPDATE corrections SET state = $1, decided_by = $2, decision = $3, version = $4 WHERE id = $5")
                                .bind(c.state.as_str())
                                .bind(&c.decided_by)
                                .bind(&c.decision)
                                .bind(c.version)
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                            changes.push(audit::Change { entity: "correction", key: id.to_string(), old: old.map(|o| crate::correction_content(&o)), new: Some(content) });
                        }
                    }
                }
                for (year, o) in &batch.opinions {
                    let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM opinions").fetch_one(&mut *tx).await?;
                    sqlx::query("INSERT INTO opinions (id, year, author, body, text, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(max + 1)
                        .bind(year)
                        .bind(&o.author)
                        .bind(&o.body)
                        .bind(&o.text)
                        .bind(&batch.at)
                        .execute(&mut *tx)
                        .await?;
                    changes.push(audit::Change { entity: "opinion", key: (max + 1).to_string(), old: None, new: Some(crate::opinion_content(*year, o)) });
                }
                if let Some((year, seed, rows)) = &batch.selection {
                    let old: Vec<(String, String, f64)> = sqlx::query_as("SELECT body, selected_by, score FROM verification_selections WHERE year = $1").bind(year).fetch_all(&mut *tx).await?;
                    for (body, by, score) in &old {
                        changes.push(audit::Change { entity: "selection", key: format!("{year}/{body}"), old: Some(format!("by={by}; score={}", audit::number(*score))), new: None });
                    }
                    sqlx::query("DELETE FROM verification_selections WHERE year = $1").bind(year).execute(&mut *tx).await?;
                    for r in rows {
                        sqlx::query(
                            "INSERT INTO verification_selections (year, body, selected_by, score, reasons, seed, selected_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(year)
                        .bind(&r.body)
                        .bind(&r.by)
                        .bind(r.score)
                        .bind(serde_json::to_string(&r.reasons).expect("reasons serialise"))
                        .bind(*seed as i64)
                        .bind(&batch.at)
                        .execute(&mut *tx)
                        .await?;
                        changes.push(audit::Change { entity: "selection", key: format!("{year}/{}", r.body), old: None, new: Some(format!("by={}; score={}", r.by, audit::number(r.score))) });
                    }
                }
                for f in &batch.findings {
                    let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM findings").fetch_one(&mut *tx).await?;
                    sqlx::query(
                        "INSERT INTO findings (id, year, body, indicator, old_value, new_value, reason, verifier, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(max + 1)
                    .bind(f.year)
                    .bind(&f.body)
                    .bind(&f.indicator)
                    .bind(f.old_value)
                    .bind(f.new_value)
                    .bind(&f.reason)
                    .bind(&f.verifier)
                    .bind(&batch.at)
                    .execute(&mut *tx)
                    .await?;
                    changes.push(audit::Change { entity: "finding", key: (max + 1).to_string(), old: None, new: Some(f.audit_content()) });
                }
                $crate::monitoring::write_monitoring!(tx, changes, batch);
                $crate::kept::write_kept!(tx, changes, batch);
                // What no public page shows leaves the public pages' fingerprint
                // as it is: no need to tell them to look again.
                let public = changes.iter().any(|c| !$crate::sql::PRIVATE_ENTITY_NAMES.contains(&c.entity));
                if !changes.is_empty() {
                    let head: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *tx).await?;
                    let (seq, hash) = head.unwrap_or((0, String::new()));
                    let entries = audit::chain(changes, (&hash, seq), &batch.at, &batch.actor, batch.reason.as_deref());
                    let leaves: Vec<_> = entries.iter().map(|e| bagalau_core::transparency::leaf(&e.hash)).collect();
                    let root = $crate::sql::grow_tree!(tx, seq as u64, &leaves);
                    let size = seq as u64 + leaves.len() as u64;
                    // One checkpoint per write: an entry no checkpoint says was
                    // written is one written behind Bagalau's back.
                    if let Some(key) = &self.keys.signing {
                        let note = key.sign(size, &root, &batch.at, Some((seq as u64 + 1, size)))?;
                        sqlx::query("INSERT INTO audit_checkpoints (size, at, note) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING")
                            .bind(size as i64)
                            .bind(&batch.at)
                            .bind(&note)
                            .execute(&mut *tx)
                            .await?;
                    } else {
                        let signed: Option<(i64,)> = sqlx::query_as("SELECT size FROM audit_checkpoints LIMIT 1").fetch_optional(&mut *tx).await?;
                        if signed.is_some() {
                            return Err(StoreError::Unsigned);
                        }
                    }
                    for e in entries {
                        sqlx::query(
                            "INSERT INTO audit_log (seq, at, actor, action, entity, key, old_content, new_content, reason, prev, hash)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                        )
                        .bind(e.seq)
                        .bind(&e.at)
                        .bind(&e.actor)
                        .bind(&e.action)
                        .bind(&e.entity)
                        .bind(&e.key)
                        .bind(&e.old)
                        .bind(&e.new)
                        .bind(&e.reason)
                        .bind(&e.prev)
                        .bind(&e.hash)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                tx.commit().await?;
                if public {
                    self.parsed.written();
                }
                Ok(counts)
            }

            async fn registry(&self) -> Result<Option<Registry>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT content_hash FROM registry WHERE id = 1")
                    .fetch_optional(&self.pool)
                    .await?;
                let Some((hash,)) = row else { return Ok(None) };
                if let Some(r) = self.parsed.registry(&hash) {
                    return Ok(Some(r));
                }
                let (file, text): (String, String) = sqlx::query_as("SELECT file_name, content FROM registry WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?;
                let r = registry::load(&file, &text).map_err(|e| crate::sql::corrupt("registry", e))?;
                self.parsed.keep_registry(bagalau_core::hash::sha256_hex(text.as_bytes()), &r);
                Ok(Some(r))
            }

            async fn service_register(&self) -> Result<Option<bagalau_services::register::Register>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT content_hash FROM service_register WHERE id = 1")
                    .fetch_optional(&self.pool)
                    .await?;
                let Some((hash,)) = row else { return Ok(None) };
                if let Some(r) = self.parsed.service_register(&hash) {
                    return Ok(Some(r));
                }
                let (text,): (String,) = sqlx::query_as("SELECT content FROM service_register WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?;
                let r = bagalau_services::register::Register::from_csv(&text).map_err(|problems| {
                    let first = problems.first().map_or_else(String::new, ToString::to_string);
                    crate::sql::corrupt("register of public services", format!("{} problem(s), the first: {first}", problems.len()))
                })?;
                self.parsed.keep_service_register(bagalau_core::hash::sha256_hex(text.as_bytes()), &r);
                Ok(Some(r))
            }

            async fn service_register_import(&self) -> Result<Option<crate::ServiceRegisterImport>> {
                let row: Option<(String, String, String)> =
                    sqlx::query_as("SELECT file_name, content_hash, imported_at FROM service_register WHERE id = 1")
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(file_name, content_hash, imported_at)| crate::ServiceRegisterImport { file_name, content_hash, imported_at }))
            }

            async fn pack(&self, year: i32) -> Result<Option<StoredPack>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT content_hash FROM packs WHERE year = $1")
                    .bind(year)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some((hash,)) = row else { return Ok(None) };
                if let Some(p) = self.parsed.pack(&hash) {
                    return Ok(Some(p));
                }
                let (file_name, text): (String, String) = sqlx::query_as("SELECT file_name, content FROM packs WHERE year = $1")
                    .bind(year)
                    .fetch_one(&self.pool)
                    .await?;
                let methodology = pack::load(&file_name, &text)
                    .map_err(|e| crate::sql::corrupt(format!("methodology for {year}"), e))?;
                let stored = StoredPack { file_name, methodology };
                self.parsed.keep_pack(bagalau_core::hash::sha256_hex(text.as_bytes()), &stored);
                Ok(Some(stored))
            }

            async fn corrections(&self, year: i32) -> Result<Vec<(i64, bagalau_core::correction::Correction)>> {
                let rows: Vec<crate::sql::CorrectionRow> =
                    sqlx::query_as(concat!("SELECT ", crate::sql::CORRECTION_COLUMNS!(), " FROM corrections WHERE year = $1 ORDER BY id"))
                        .bind(year)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(crate::sql::correction_from_row).collect()
            }

            async fn kept_records(&self, family: crate::Family, part: Option<&str>) -> Result<Vec<crate::KeptRecord>> {
                let rows: Vec<$crate::kept::RecordRow> = sqlx::query_as(
                    "SELECT family, part, key, content, origin FROM kept_records
                     WHERE family = $1 AND ($2 IS NULL OR part = $2) ORDER BY part, key",
                )
                .bind(family.as_str())
                .bind(part)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::kept::record_from_row).collect()
            }

            async fn calendar_additions(&self) -> Result<Option<crate::CalendarAdditions>> {
                let row: Option<(String, String, String)> =
                    sqlx::query_as("SELECT file_name, content, imported_at FROM calendar_additions WHERE id = 1")
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(file_name, text, imported_at)| crate::CalendarAdditions { file_name, text, imported_at }))
            }

            async fn record_import(&self, id: &str) -> Result<Option<crate::RecordImport>> {
                let row: Option<$crate::sql::RecordImportRow> = sqlx::query_as(concat!("SELECT ", $crate::sql::RECORD_IMPORT_COLUMNS!(), " FROM record_imports WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map($crate::sql::record_import_from_row))
            }

            async fn record_import_progress(&self, id: &str, rows_read: i64, at: &str) -> Result<()> {
                sqlx::query("UPDATE record_imports SET rows_read = $1, heartbeat_at = $2 WHERE id = $3 AND state = 'running'")
                    .bind(rows_read)
                    .bind(at)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn questionnaires(&self) -> Result<Vec<crate::StoredQuestionnaire>> {
                let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT id, file_name, content FROM questionnaires ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(|(id, file_name, content)| crate::StoredQuestionnaire { id, file_name, content }).collect())
            }

            async fn adopted_pack_years(&self) -> Result<Vec<i32>> {
                let rows: Vec<(i32,)> = sqlx::query_as("SELECT year FROM packs WHERE adopted_at IS NOT NULL ORDER BY year")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(|r| r.0).collect())
            }

            async fn pack_years(&self) -> Result<Vec<i32>> {
                let rows: Vec<(i32,)> = sqlx::query_as("SELECT year FROM packs ORDER BY year")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(|r| r.0).collect())
            }

            async fn year_data(&self, year: i32) -> Result<YearData> {
                let rows = sqlx::query("SELECT body_id, indicator_id, value, origin FROM reporting_values WHERE year = $1 ORDER BY body_id, indicator_id")
                    .bind(year)
                    .fetch_all(&self.pool)
                    .await?;
                let mut data = YearData::default();
                for row in rows {
                    let body: String = row.get(0);
                    let ind: String = row.get(1);
                    let value: Option<f64> = row.get(2);
                    let origin: String = row.get(3);
                    data.demonstration |= origin == bagalau_core::data::DEMONSTRATION;
                    data.insert(&body, &ind, value);
                }
                Ok(data)
            }

            async fn assessment(
                &self,
                year: i32,
                pack_hash: &str,
                input_hash: &str,
            ) -> Result<Option<Assessment>> {
                let row: Option<(String, bool, String)> = sqlx::query_as(
                    "SELECT pack_id, demonstration, results FROM assessments WHERE year = $1 AND pack_hash = $2 AND input_hash = $3",
                )
                .bind(year)
                .bind(pack_hash)
                .bind(input_hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(pack_id, demonstration, results)| {
                    Ok(Assessment {
                        year,
                        pack_id,
                        pack_hash: pack_hash.to_string(),
                        input_hash: input_hash.to_string(),
                        demonstration,
                        results: serde_json::from_str(&results)
                            .map_err(|e| crate::sql::corrupt(format!("results for {year}"), e))?,
                    })
                })
                .transpose()
            }

            async fn value_origins(&self) -> Result<Vec<(i32, String, i64)>> {
                Ok(sqlx::query_as(
                    "SELECT year, origin, COUNT(*) FROM reporting_values GROUP BY year, origin ORDER BY year, origin",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn performance_pack(&self, year: i32) -> Result<Option<PerformancePack>> {
                let row: Option<(String, String)> =
                    sqlx::query_as("SELECT file_name, content FROM performance_packs WHERE year = $1")
                        .bind(year)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(|(file, text)| {
                    performance::load(&file, &text)
                        .map_err(|e| crate::sql::corrupt(format!("performance pack for {year}"), e))
                })
                .transpose()
            }

            async fn performance_years(&self) -> Result<Vec<i32>> {
                let rows: Vec<(i32,)> = sqlx::query_as("SELECT year FROM performance_packs ORDER BY year")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(|r| r.0).collect())
            }

            async fn series(&self) -> Result<Series> {
                let rows: Vec<(String, String, i32, f64, String)> =
                    sqlx::query_as("SELECT entity, indicator, year, value, origin FROM series ORDER BY entity, indicator, year")
                        .fetch_all(&self.pool)
                        .await?;
                let mut s = Series::default();
                for (entity, indicator, year, value, origin) in rows {
                    s.demonstration |= origin == bagalau_core::data::DEMONSTRATION;
                    s.values
                        .entry((entity, indicator))
                        .or_default()
                        .insert(year, value);
                }
                Ok(s)
            }

            async fn audit_entries(&self) -> Result<Vec<audit::Entry>> {
                let rows: Vec<(i64, String, String, String, String, String, Option<String>, Option<String>, Option<String>, String, String)> =
                    sqlx::query_as("SELECT seq, at, actor, action, entity, key, old_content, new_content, reason, prev, hash FROM audit_log ORDER BY seq")
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|(seq, at, actor, action, entity, key, old, new, reason, prev, hash)| audit::Entry { seq, at, actor, action, entity, key, old, new, reason, prev, hash })
                    .collect())
            }

            async fn public_fingerprint(&self) -> Result<String> {
                let registry: Vec<(String,)> = sqlx::query_as("SELECT content_hash FROM registry").fetch_all(&self.pool).await?;
                let services: Vec<(String, String, String)> =
                    sqlx::query_as("SELECT content_hash, file_name, imported_at FROM service_register").fetch_all(&self.pool).await?;
                let packs: Vec<(i32, String)> = sqlx::query_as("SELECT year, content_hash FROM packs ORDER BY year").fetch_all(&self.pool).await?;
                let published: Vec<(i32, i32, String)> = sqlx::query_as("SELECT year, version, content_hash FROM publications ORDER BY year, version").fetch_all(&self.pool).await?;
                let ratings: Vec<(i32, i32, String)> = sqlx::query_as("SELECT year, version, content_hash FROM service_ratings ORDER BY year, version").fetch_all(&self.pool).await?;
                // Every write is audited: the last entry moves with any change
                // (series, monitoring…) that a public page may show. Sign-ins,
                // accounts and the cycle's unpublished work show nowhere
                // public, so during the deadline rush reporters' drafts leave
                // the fingerprint and the cached pages as they are.
                let last: Option<(i64,)> =
                    sqlx::query_as(concat!("SELECT seq FROM audit_log WHERE entity NOT IN (", crate::sql::PRIVATE_ENTITIES!(), ") ORDER BY seq DESC LIMIT 1"))
                        .fetch_optional(&self.pool)
                        .await?;
                let last = (last.map(|l| l.0),);
                // The open-data page says whether the trail is signed; the
                // first checkpoint may come with a private write.
                let signed: Option<(i64,)> = sqlx::query_as("SELECT size FROM audit_checkpoints LIMIT 1").fetch_optional(&self.pool).await?;
                let mut h = bagalau_core::hash::FieldHasher::default();
                for (hash,) in &registry {
                    h.field(hash.as_bytes());
                }
                // Marked, so that a register can never pass for a registry with the same hash;
                // its pages say where it came from and when, which a re-import changes.
                for (hash, file_name, imported_at) in &services {
                    h.field(b"service_register").field(hash.as_bytes()).field(file_name.as_bytes()).field(imported_at.as_bytes());
                }
                for (year, hash) in &packs {
                    h.field(year.to_string().as_bytes()).field(hash.as_bytes());
                }
                for (year, version, hash) in &published {
                    h.field(year.to_string().as_bytes()).field(version.to_string().as_bytes()).field(hash.as_bytes());
                }
                for (year, version, hash) in &ratings {
                    h.field(b"service_ratings").field(year.to_string().as_bytes()).field(version.to_string().as_bytes()).field(hash.as_bytes());
                }
                h.field(last.0.unwrap_or(0).to_string().as_bytes());
                if signed.is_some() {
                    h.field(b"signed");
                }
                Ok(h.finish())
            }

            async fn audit_latest_before(&self, at: &str) -> Result<Option<audit::Entry>> {
                let row: Option<(i64, String, String, String, String, String, Option<String>, Option<String>, Option<String>, String, String)> =
                    sqlx::query_as("SELECT seq, at, actor, action, entity, key, old_content, new_content, reason, prev, hash FROM audit_log WHERE at < $1 ORDER BY at DESC, seq DESC LIMIT 1")
                        .bind(at)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(seq, at, actor, action, entity, key, old, new, reason, prev, hash)| audit::Entry { seq, at, actor, action, entity, key, old, new, reason, prev, hash }))
            }

            async fn audit_checkpoints(&self) -> Result<Vec<(u64, String)>> {
                let rows: Vec<(i64, String)> = sqlx::query_as("SELECT size, note FROM audit_checkpoints ORDER BY size").fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(|(size, note)| (size as u64, note)).collect())
            }

            async fn latest_audit_checkpoint(&self) -> Result<Option<(u64, String)>> {
                let row: Option<(i64, String)> =
                    sqlx::query_as("SELECT size, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1").fetch_optional(&self.pool).await?;
                Ok(row.map(|(size, note)| (size as u64, note)))
            }

            async fn sign_audit_checkpoint(&self, at: &str) -> Result<String> {
                let key = self.keys.signing.clone().ok_or(StoreError::NoAuditKey)?;
                if self.read_only {
                    return Err(StoreError::ReadOnly(self.path.clone()));
                }
                let mut tx = $crate::sql::begin_write!(self, $store);
                let (size,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM audit_log").fetch_one(&mut *tx).await?;
                if size == 0 {
                    return Err(bagalau_core::transparency::LogError::Tree("the audit trail is empty: there is nothing to sign".into()).into());
                }
                let kept: Option<(String,)> = sqlx::query_as("SELECT note FROM audit_checkpoints WHERE size = $1").bind(size).fetch_optional(&mut *tx).await?;
                if let Some((note,)) = kept {
                    return Ok(note);
                }
                let root = $crate::sql::grow_tree!(tx, size as u64, &[]);
                let note = key.sign(size as u64, &root, at, None)?;
                sqlx::query("INSERT INTO audit_checkpoints (size, at, note) VALUES ($1, $2, $3)")
                    .bind(size)
                    .bind(at)
                    .bind(&note)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(note)
            }

            async fn publication_checkpoint(&self, year: i32, version: i32) -> Result<Option<String>> {
                let row: Option<(String,)> = sqlx::query_as(
                    "SELECT note FROM audit_checkpoints WHERE size >= (SELECT MIN(seq) FROM audit_log WHERE entity = 'publication' AND key = $1) ORDER BY size LIMIT 1",
                )
                .bind(format!("{year}/{version}"))
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|(note,)| note))
            }

            async fn audit_records(&self) -> Result<Vec<audit::Record>> {
                let mut out: Vec<audit::Record> = Vec::new();
                let rows: Vec<(String,)> = sqlx::query_as("SELECT content FROM registry").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(c,)| ("registry".to_string(), "registry".to_string(), c)));
                let rows: Vec<(String,)> = sqlx::query_as("SELECT content FROM service_register").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(c,)| ("service_register".to_string(), "service_register".to_string(), c)));
                let rows: Vec<(String,)> = sqlx::query_as("SELECT content FROM calendar_additions").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(c,)| ("calendar_additions".to_string(), "calendar_additions".to_string(), c)));
                let rows: Vec<$crate::sql::RecordImportRow> = sqlx::query_as(concat!("SELECT ", $crate::sql::RECORD_IMPORT_COLUMNS!(), " FROM record_imports")).fetch_all(&self.pool).await?;
                for row in rows {
                    let r = $crate::sql::record_import_from_row(row);
                    out.push(("record_import".to_string(), r.id.clone(), r.audit_content()));
                }
                let rows: Vec<(i32, String)> = sqlx::query_as("SELECT year, content FROM packs").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, c)| ("pack".to_string(), y.to_string(), c)));
                let rows: Vec<crate::sql::CorrectionRow> = sqlx::query_as(concat!("SELECT ", crate::sql::CORRECTION_COLUMNS!(), " FROM corrections")).fetch_all(&self.pool).await?;
                for row in rows {
                    let (id, c) = crate::sql::correction_from_row(row)?;
                    out.push(("correction".to_string(), id.to_string(), crate::correction_content(&c)));
                }
                let rows: Vec<(i32, String)> = sqlx::query_as("SELECT year, content_hash FROM packs WHERE adopted_at IS NOT NULL").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, h)| ("adoption".to_string(), y.to_string(), crate::adoption_content(&h))));
                let rows: Vec<(i32, String)> = sqlx::query_as("SELECT year, content FROM performance_packs").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, c)| ("performance_pack".to_string(), y.to_string(), c)));
                let rows: Vec<(i32, String, String, Option<f64>, Option<String>, String)> =
                    sqlx::query_as("SELECT year, body_id, indicator_id, value, note, origin FROM reporting_values").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, b, i, v, n, o)| ("value".to_string(), format!("{y}/{b}/{i}"), audit::value_content(v, n.as_deref(), &o))));
                let rows: Vec<(String, String, i32, f64, Option<String>, String)> =
                    sqlx::query_as("SELECT entity, indicator, year, value, source, origin FROM series").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(e, i, y, v, s, o)| ("series".to_string(), format!("{e}/{i}/{y}"), audit::series_content(v, s.as_deref(), &o))));
                let rows: Vec<(i32, String, String, String)> =
                    sqlx::query_as("SELECT year, pack_hash, input_hash, results FROM assessments").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, p, i, r)| ("assessment".to_string(), format!("{y}/{p}/{i}"), r)));
                let rows: Vec<(i32, i32, String)> = sqlx::query_as("SELECT year, version, content FROM publications").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, v, c)| ("publication".to_string(), format!("{y}/{v}"), c)));
                let rows: Vec<(i32, i32, String)> = sqlx::query_as("SELECT year, version, content FROM service_ratings").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, v, c)| ("service_ratings".to_string(), format!("{y}/{v}"), c)));
                let rows: Vec<(i32, String)> = sqlx::query_as("SELECT year, calendar FROM cycles").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, c)| ("cycle".to_string(), y.to_string(), c)));
                let rows: Vec<(i32, String, String, String, String, String)> =
                    sqlx::query_as("SELECT year, body, until_at, granted_by, reason, granted_at FROM extensions").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, b, u, g, r, at)| ("extension".to_string(), format!("{y}/{b}/{at}"), format!("until={u}; granted_by={g}; reason={r}"))));
                let rows: Vec<(i32, String, String)> = sqlx::query_as("SELECT year, body, state FROM submissions").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, b, st)| ("submission".to_string(), format!("{y}/{b}"), st)));
                let rows: Vec<(i32, String, String, bool, String, String)> =
                    sqlx::query_as("SELECT year, direction, body, is_final, author, text FROM conclusions").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, d, b, f, a, t)| {
                    ("conclusion".to_string(), format!("{y}/{d}/{b}/{}", if f { "final" } else { "preliminary" }), format!("author={a}; text={t}"))
                }));
                for y in sqlx::query_as::<_, (i32,)>("SELECT DISTINCT year FROM objections").fetch_all(&self.pool).await? {
                    for (id, o) in self.objections(y.0).await? {
                        out.push(("objection".to_string(), id.to_string(), crate::objection_content(&o)));
                    }
                }
                let rows: Vec<(i32, String, String, f64)> = sqlx::query_as("SELECT year, body, selected_by, score FROM verification_selections").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(y, b, by, score)| ("selection".to_string(), format!("{y}/{b}"), format!("by={by}; score={}", audit::number(score)))));
                let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM findings ORDER BY id").fetch_all(&self.pool).await?;
                for ((id,), f) in ids.into_iter().zip(self.findings(None).await?) {
                    out.push(("finding".to_string(), id.to_string(), f.audit_content()));
                }
                for (id, r) in self.recommendations(None).await? {
                    out.push(("recommendation".to_string(), id.to_string(), r.audit_content()));
                }
                let rows: Vec<(i64, String, i64, String, String, String)> =
                    sqlx::query_as("SELECT id, sha256, size, media_type, file_name, uploaded_by FROM evidence_uploads").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(id, sha256, size, media_type, file_name, uploaded_by)| {
                    ("evidence".to_string(), id.to_string(), crate::EvidenceRecord { sha256, size, media_type, file_name, uploaded_by }.audit_content())
                }));
                let rows: Vec<(i64, i32, String, Option<String>, String)> = sqlx::query_as("SELECT id, year, author, body, text FROM opinions").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(id, year, author, body, text)| ("opinion".to_string(), id.to_string(), crate::opinion_content(year, &cycle::Opinion { author, body, text }))));
                for (year, body, sha256) in self.submission_evidence(None).await? {
                    out.push(("submission_evidence".to_string(), format!("{year}/{body}/{sha256}"), "attached".to_string()));
                }
                let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, source FROM login_attempts WHERE failed = 1").fetch_all(&self.pool).await?;
                out.extend(rows.into_iter().map(|(id, source)| ("login_failure".to_string(), id, $crate::sql::login_failure_content(&source))));
                for u in self.users().await? {
                    out.push(("user".to_string(), u.name.clone(), u.audit_content()));
                }
                let rows: Vec<(String, String, String, String, Option<String>)> =
                    sqlx::query_as("SELECT token_hash, name, label, created_at, expires_at FROM api_tokens").fetch_all(&self.pool).await?;
                for (token_hash, name, label, created_at, expires_at) in rows {
                    let t = crate::TokenRecord { token_hash, name, label, created_at, expires_at };
                    out.push(("token".to_string(), t.audit_key(), t.audit_content()));
                }
                $crate::monitoring::monitoring_records!(self, out);
                $crate::kept::kept_audit_records!(self, out);
                Ok(out)
            }

            async fn body_rows(&self) -> Result<Vec<(String, String, String, String, String)>> {
                Ok(sqlx::query_as("SELECT id, kind, name_kk, name_ru, name_en FROM bodies ORDER BY id").fetch_all(&self.pool).await?)
            }

            async fn publications(&self, year: Option<i32>) -> Result<Vec<Publication>> {
                $crate::sql::read_versions!(self, "publications", year)
            }

            async fn publication_content(&self, year: i32, version: i32) -> Result<Option<String>> {
                $crate::sql::read_version_content!(self, "publications", year, version)
            }

            async fn service_ratings(&self, year: Option<i32>) -> Result<Vec<Publication>> {
                $crate::sql::read_versions!(self, "service_ratings", year)
            }

            async fn service_ratings_content(&self, year: i32, version: i32) -> Result<Option<String>> {
                $crate::sql::read_version_content!(self, "service_ratings", year, version)
            }

            async fn users(&self) -> Result<Vec<crate::UserRecord>> {
                let users: Vec<(String, String, String, Option<String>)> = sqlx::query_as("SELECT name, password_hash, created_at, disabled_at FROM users ORDER BY name").fetch_all(&self.pool).await?;
                let roles: Vec<(String, String)> = sqlx::query_as("SELECT name, role FROM user_roles ORDER BY name, role").fetch_all(&self.pool).await?;
                Ok(users
                    .into_iter()
                    .map(|(name, password_hash, created_at, disabled_at)| {
                        let roles = roles.iter().filter(|(n, _)| *n == name).map(|(_, r)| r.clone()).collect();
                        crate::UserRecord { name, password_hash, roles, created_at, disabled_at }
                    })
                    .collect())
            }

            async fn tokens_of(&self, name: &str) -> Result<Vec<crate::TokenRecord>> {
                let rows: Vec<(String, String, String, String, Option<String>)> =
                    sqlx::query_as("SELECT token_hash, name, label, created_at, expires_at FROM api_tokens WHERE name = $1 ORDER BY created_at").bind(name).fetch_all(&self.pool).await?;
                Ok(rows
                    .into_iter()
                    .map(|(token_hash, name, label, created_at, expires_at)| crate::TokenRecord { token_hash, name, label, created_at, expires_at })
                    .collect())
            }

            async fn user_by_token(&self, token_hash: &str, now: &str) -> Result<Option<crate::UserRecord>> {
                let row: Option<(String, Option<String>)> = sqlx::query_as("SELECT name, expires_at FROM api_tokens WHERE token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    Some((name, expires)) if expires.as_deref().is_none_or(|e| e > now) => {
                        Ok(self.users().await?.into_iter().find(|u| u.name == name && u.disabled_at.is_none()))
                    }
                    _ => Ok(None),
                }
            }

            async fn cycle(&self, year: i32) -> Result<Option<cycle::Calendar>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT calendar FROM cycles WHERE year = $1").bind(year).fetch_optional(&self.pool).await?;
                row.map(|(c,)| serde_json::from_str(&c).map_err(|e| crate::sql::corrupt(format!("calendar of {year}"), e))).transpose()
            }

            async fn cycle_opened_at(&self, year: i32) -> Result<Option<String>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT opened_at FROM cycles WHERE year = $1").bind(year).fetch_optional(&self.pool).await?;
                Ok(row.map(|(at,)| at))
            }

            async fn extensions(&self, year: i32) -> Result<Vec<cycle::Extension>> {
                let rows: Vec<(String, String, String, String)> =
                    sqlx::query_as("SELECT body, until_at, granted_by, reason FROM extensions WHERE year = $1 ORDER BY granted_at").bind(year).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|(body, until, granted_by, reason)| {
                        let until = until.parse().map_err(|e| crate::sql::corrupt(format!("extension of {body}"), e))?;
                        Ok(cycle::Extension { body, until, granted_by, reason })
                    })
                    .collect()
            }

            async fn submissions(&self, year: i32) -> Result<Vec<(String, cycle::SubmissionState)>> {
                let rows: Vec<(String, String)> = sqlx::query_as("SELECT body, state FROM submissions WHERE year = $1 ORDER BY body").bind(year).fetch_all(&self.pool).await?;
                Ok(rows
                    .into_iter()
                    .map(|(b, s)| (b, if s == "submitted" { cycle::SubmissionState::Submitted } else { cycle::SubmissionState::Draft }))
                    .collect())
            }

            async fn conclusions(&self, year: i32) -> Result<Vec<cycle::Conclusion>> {
                let rows: Vec<(String, String, bool, String, String)> =
                    sqlx::query_as("SELECT direction, body, is_final, author, text FROM conclusions WHERE year = $1 ORDER BY direction, body, is_final")
                        .bind(year)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(|(direction, body, is_final, author, text)| cycle::Conclusion { direction, body, author, text, is_final }).collect())
            }

            async fn objections(&self, year: i32) -> Result<Vec<(i64, cycle::Objection)>> {
                let rows: Vec<crate::sql::ObjectionRow> = sqlx::query_as(concat!("SELECT ", crate::sql::OBJECTION_COLUMNS!(), " FROM objections WHERE year = $1 ORDER BY id"))
                    .bind(year)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(|row| crate::sql::objection_from_row(row).map(|(_, id, o)| (id, o))).collect()
            }

            async fn objections_citing(&self, sha256: &str) -> Result<Vec<(i32, i64, cycle::Objection)>> {
                if !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Ok(Vec::new());
                }
                let rows: Vec<crate::sql::ObjectionRow> =
                    sqlx::query_as(concat!("SELECT ", crate::sql::OBJECTION_COLUMNS!(), " FROM objections WHERE evidence LIKE $1 ORDER BY id"))
                        .bind(format!("%\"{sha256}\"%"))
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(crate::sql::objection_from_row).collect()
            }

            async fn selection(&self, year: i32) -> Result<Vec<crate::SelectionRecord>> {
                let rows: Vec<(String, String, f64, String)> =
                    sqlx::query_as("SELECT body, selected_by, score, reasons FROM verification_selections WHERE year = $1 ORDER BY score DESC, body")
                        .bind(year)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map(|(body, by, score, reasons)| {
                        let reasons = serde_json::from_str(&reasons).map_err(|e| crate::sql::corrupt(format!("selection of {body}"), e))?;
                        Ok(crate::SelectionRecord { body, by, score, reasons })
                    })
                    .collect()
            }

            async fn findings(&self, year: Option<i32>) -> Result<Vec<crate::FindingRecord>> {
                let rows: Vec<(i32, String, String, Option<f64>, Option<f64>, String, String)> = sqlx::query_as(
                    "SELECT year, body, indicator, old_value, new_value, reason, verifier FROM findings WHERE $1 IS NULL OR year = $2 ORDER BY id",
                )
                .bind(year)
                .bind(year)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(year, body, indicator, old_value, new_value, reason, verifier)| crate::FindingRecord { year, body, indicator, old_value, new_value, reason, verifier })
                    .collect())
            }

            async fn submission_evidence(&self, year: Option<i32>) -> Result<Vec<(i32, String, String)>> {
                Ok(sqlx::query_as("SELECT year, body, sha256 FROM submission_evidence WHERE $1 IS NULL OR year = $2 ORDER BY year, body, added_at, sha256")
                    .bind(year)
                    .bind(year)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn reserve_login(&self, attempt: &$crate::LoginAttempt) -> Result<Option<chrono::NaiveDateTime>> {
                if self.read_only {
                    return Err(StoreError::ReadOnly(self.path.clone()));
                }
                let window = chrono::Duration::minutes(bagalau_core::accounts::LOGIN_WINDOW_MINUTES);
                let since = $crate::login_time(attempt.at - window);
                let mut tx = $crate::sql::begin_write!(self, $store);
                // Write transactions run one after another (`begin_write!`):
                // so do reservations.
                sqlx::query("INSERT INTO login_attempts (id, name, source, at, failed) VALUES ($1, $2, $3, $4, 0)")
                    .bind(&attempt.id)
                    .bind(&attempt.name)
                    .bind(&attempt.source)
                    .bind($crate::login_time(attempt.at))
                    .execute(&mut *tx)
                    .await?;
                let times = |rows: Vec<(String,)>| -> Vec<chrono::NaiveDateTime> {
                    rows.iter().filter_map(|(t,)| $crate::sql::parse_login_time(t)).collect()
                };
                let by_name: Vec<(String,)> = sqlx::query_as("SELECT at FROM login_attempts WHERE name = $1 AND at > $2 AND id <> $3")
                    .bind(&attempt.name)
                    .bind(&since)
                    .bind(&attempt.id)
                    .fetch_all(&mut *tx)
                    .await?;
                let by_source: Vec<(String,)> = if attempt.source.is_empty() {
                    Vec::new()
                } else {
                    sqlx::query_as("SELECT at FROM login_attempts WHERE source = $1 AND at > $2 AND id <> $3")
                        .bind(&attempt.source)
                        .bind(&since)
                        .bind(&attempt.id)
                        .fetch_all(&mut *tx)
                        .await?
                };
                match bagalau_core::accounts::login_allowed_at(&times(by_name), &times(by_source), attempt.at) {
                    Some(until) => {
                        tx.rollback().await?;
                        Ok(Some(until))
                    }
                    None => {
                        tx.commit().await?;
                        Ok(None)
                    }
                }
            }

            async fn opinions(&self, year: i32) -> Result<Vec<cycle::Opinion>> {
                let rows: Vec<(String, Option<String>, String)> = sqlx::query_as("SELECT author, body, text FROM opinions WHERE year = $1 ORDER BY id")
                    .bind(year)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(|(author, body, text)| cycle::Opinion { author, body, text }).collect())
            }

            async fn evidence_uploads(&self, sha256: &str) -> Result<Vec<crate::EvidenceRecord>> {
                let rows: Vec<(String, i64, String, String, String)> =
                    sqlx::query_as("SELECT sha256, size, media_type, file_name, uploaded_by FROM evidence_uploads WHERE sha256 = $1 ORDER BY id")
                        .bind(sha256)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|(sha256, size, media_type, file_name, uploaded_by)| crate::EvidenceRecord { sha256, size, media_type, file_name, uploaded_by })
                    .collect())
            }

            async fn recommendations(&self, year: Option<i32>) -> Result<Vec<(i64, bagalau_core::recommendation::Recommendation)>> {
                let rows: Vec<crate::sql::RecommendationRow> = sqlx::query_as(concat!("SELECT ", crate::sql::RECOMMENDATION_COLUMNS!(), " FROM recommendations WHERE $1 IS NULL OR year = $2 ORDER BY id"))
                    .bind(year)
                    .bind(year)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(crate::sql::recommendation_from_row).collect()
            }

            $crate::monitoring::read_monitoring!();
        }
    };
}

pub(crate) use begin_write;
pub(crate) use grow_tree;
pub(crate) use insert_tree;
pub(crate) use insert_versions;
pub(crate) use put_document;
pub(crate) use read_version_content;
pub(crate) use read_versions;
pub(crate) use sql_store;

/// The audit entities no public page shows (as an SQL list): sign-ins,
/// accounts, and the cycle's work until a year is published. Writes of
/// these leave the public pages' fingerprint unchanged. The same list is
/// the predicate of the index `audit_log_public` (migration 0020): change
/// both together.
/// The columns a correction is read from, in [`CorrectionRow`]'s order.
macro_rules! CORRECTION_COLUMNS {
    () => {
        "id, year, requested_by, reason, state, decided_by, decision, version"
    };
}
pub(crate) use CORRECTION_COLUMNS;

pub(crate) type CorrectionRow = (
    i64,
    i32,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i32>,
);

pub(crate) fn correction_from_row(
    (id, year, requested_by, reason, state, decided_by, decision, version): CorrectionRow,
) -> crate::Result<(i64, bagalau_core::correction::Correction)> {
    let state = bagalau_core::correction::CorrectionState::parse(&state).ok_or_else(|| {
        crate::StoreError::Corrupt {
            what: format!("correction {id}"),
            message: format!("unknown state `{state}`"),
        }
    })?;
    Ok((
        id,
        bagalau_core::correction::Correction {
            year,
            requested_by,
            reason,
            state,
            decided_by,
            decision,
            version,
        },
    ))
}

macro_rules! PRIVATE_ENTITIES {
    () => {
        "'login_failure', 'token', 'user', 'value', 'submission', 'submission_evidence', \
'evidence', 'conclusion', 'objection', 'opinion', 'finding', 'selection', \
'extension', 'cycle', 'assessment', 'recommendation', \
'complaint', 'openness', 'survey_response', 'questionnaire', 'record_import'"
    };
}
pub(crate) use PRIVATE_ENTITIES;

/// [`PRIVATE_ENTITIES`] as names.
pub(crate) const PRIVATE_ENTITY_NAMES: [&str; 21] = [
    "login_failure",
    "token",
    "user",
    "value",
    "submission",
    "submission_evidence",
    "evidence",
    "conclusion",
    "objection",
    "opinion",
    "finding",
    "selection",
    "extension",
    "cycle",
    "assessment",
    "recommendation",
    "complaint",
    "openness",
    "survey_response",
    "questionnaire",
    "record_import",
];

macro_rules! RECORD_IMPORT_COLUMNS {
    () => {
        "id, file_name, content_sha256, size, format, requested_by, requested_at, state, finished_at, outcome, rows_read, heartbeat_at"
    };
}
pub(crate) use RECORD_IMPORT_COLUMNS;

pub(crate) type RecordImportRow = (
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
);

pub(crate) fn record_import_from_row(row: RecordImportRow) -> crate::RecordImport {
    let (
        id,
        file_name,
        content_sha256,
        size,
        format,
        requested_by,
        requested_at,
        state,
        finished_at,
        outcome,
        rows_read,
        heartbeat_at,
    ) = row;
    crate::RecordImport {
        id,
        file_name,
        content_sha256,
        size,
        format,
        requested_by,
        requested_at,
        state,
        finished_at,
        outcome,
        rows_read,
        heartbeat_at,
    }
}

macro_rules! OBJECTION_COLUMNS {
    () => {
        "year, id, body, direction, criterion, filed_by, statement, state, decided_by, reason, evidence"
    };
}
pub(crate) use OBJECTION_COLUMNS;

pub(crate) type ObjectionRow = (
    i32,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

pub(crate) fn objection_from_row(
    row: ObjectionRow,
) -> crate::Result<(i32, i64, bagalau_core::cycle::Objection)> {
    let (
        year,
        id,
        body,
        direction,
        criterion,
        filed_by,
        statement,
        state,
        decided_by,
        reason,
        evidence,
    ) = row;
    let evidence =
        serde_json::from_str(&evidence).map_err(|e| corrupt(format!("objection {id}"), e))?;
    let state = crate::objection_state(&state);
    Ok((
        year,
        id,
        bagalau_core::cycle::Objection {
            body,
            direction,
            criterion,
            filed_by,
            statement,
            state,
            decided_by,
            reason,
            evidence,
        },
    ))
}

macro_rules! RECOMMENDATION_COLUMNS {
    () => {
        "id, year, body, issued_by, text, due, state, report, reported_at, review_reason, evidence"
    };
}
pub(crate) use RECOMMENDATION_COLUMNS;

pub(crate) type RecommendationRow = (
    i64,
    i32,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

pub(crate) fn recommendation_from_row(
    row: RecommendationRow,
) -> crate::Result<(i64, bagalau_core::recommendation::Recommendation)> {
    use bagalau_core::recommendation::{Recommendation, RecommendationState};
    let (id, year, body, issued_by, text, due, state, report, reported_at, review_reason, evidence) =
        row;
    let what = || format!("recommendation {id}");
    Ok((
        id,
        Recommendation {
            year,
            body,
            issued_by,
            text,
            due: chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d")
                .map_err(|e| corrupt(what(), e))?,
            state: RecommendationState::parse(&state)
                .ok_or_else(|| corrupt(what(), format!("unknown state `{state}`")))?,
            report,
            reported_at: reported_at
                .map(|t| chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S"))
                .transpose()
                .map_err(|e| corrupt(what(), e))?,
            review_reason,
            evidence: serde_json::from_str(&evidence).map_err(|e| corrupt(what(), e))?,
        },
    ))
}

pub(crate) fn corrupt(what: impl Into<String>, e: impl std::fmt::Display) -> crate::StoreError {
    crate::StoreError::Corrupt {
        what: what.into(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_private_entities_are_one_list_in_sql_and_in_rust() {
        let quoted: Vec<String> = super::PRIVATE_ENTITY_NAMES
            .iter()
            .map(|n| format!("'{n}'"))
            .collect();
        assert_eq!(PRIVATE_ENTITIES!(), quoted.join(", "));
        let migration = include_str!("../migrations/0026_record_imports.sql");
        let predicate: String = migration
            .split("NOT IN (")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(predicate, quoted.join(", "));
    }
}
