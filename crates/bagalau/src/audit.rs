//! The audit trail as a verifiable log: the signing key, checkpoints and
//! inclusion proofs (`bagalau audit verify` is `bagalau_app::audit::verify`).

use crate::app::App;
use crate::config::{self, AuditConfig};
use anyhow::{Context, Result, anyhow, bail, ensure};
use bagalau_core::audit;
use bagalau_core::transparency::{self, SigningKey, Tree};
use bagalau_store::Store;
use std::io::Write as _;
use std::path::Path;

/// The audit keys: the signing key read from its file (outside the
/// database), and the public keys of earlier ones.
pub fn keys(config: &AuditConfig) -> Result<bagalau_store::AuditKeys> {
    let path = match &config.key {
        Some(path) => Some(path.as_str()),
        None => Path::new(config::DEFAULT_AUDIT_KEY)
            .exists()
            .then_some(config::DEFAULT_AUDIT_KEY),
    };
    let signing = match path {
        None => None,
        Some(path) => {
            refuse_shared_key(Path::new(path))?;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the audit key {path} (audit.key)"))?;
            let key = SigningKey::parse(&text).with_context(|| format!("{path} (audit.key)"))?;
            Some(std::sync::Arc::new(key))
        }
    };
    for key in &config.previous_keys {
        transparency::check_public_key(key).context("audit.previous_keys")?;
    }
    Ok(bagalau_store::AuditKeys {
        signing,
        previous: config.previous_keys.clone(),
    })
}

/// A private key others may read is refused, as ssh refuses one: whoever
/// reads it can sign checkpoints for a rewritten trail.
#[cfg(unix)]
fn refuse_shared_key(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read the audit key {} (audit.key)", path.display()))?;
    ensure!(
        meta.is_file(),
        "the audit key {} (audit.key) is not a file",
        path.display()
    );
    let mode = meta.permissions().mode() & 0o777;
    ensure!(
        mode & 0o077 == 0,
        "the audit key {} can be read by other users (mode {mode:o}): run chmod 600 {}",
        path.display(),
        path.display()
    );
    Ok(())
}

#[cfg(not(unix))]
fn refuse_shared_key(_: &Path) -> Result<()> {
    Ok(())
}

/// The origin of the key `bagalau demo` makes when none is configured.
pub const DEMO_ORIGIN: &str = "demo.bagalau.invalid/audit";

/// Writes a new signing key for the log named `origin` to `out` (readable
/// by its owner alone; an existing file is never replaced) and gives its
/// public key.
pub fn new_key(origin: &str, out: &Path) -> Result<String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow!("the system gave no randomness: {e}"))?;
    let (private, public) = SigningKey::generate(origin, seed)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(out).with_context(|| {
        format!(
            "cannot create the key file {} (an existing key is never replaced)",
            out.display()
        )
    })?;
    writeln!(file, "{private}").with_context(|| format!("cannot write {}", out.display()))?;
    Ok(public)
}

pub fn keygen(origin: &str, out: &Path) -> Result<()> {
    let public = new_key(origin, out)?;
    outln!(
        "Audit key written to {} (readable by you alone). Keep it outside the database, its server's backups and the repository; set audit.key to it.",
        out.display()
    );
    outln!("Its public key, to publish for anyone who checks the trail:");
    outln!("{public}");
    Ok(())
}

pub(crate) fn read_checkpoint(path: &Path) -> Result<String> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    ensure!(
        meta.is_file() && meta.len() <= 64 * 1024,
        "{} is not a checkpoint (a file of a few lines)",
        path.display()
    );
    std::fs::read_to_string(path).with_context(|| format!("cannot read {} as text", path.display()))
}

impl App {
    /// The public keys checkpoints are checked with: the configured ones
    /// and those given on the command line.
    fn public_keys(&self, given: &[String]) -> Result<Vec<String>> {
        for key in given {
            transparency::check_public_key(key).context("--public-key")?;
        }
        let mut keys = self.store.audit_keys().public();
        keys.extend(given.iter().cloned());
        Ok(keys)
    }

    /// `bagalau audit checkpoint`: signs a checkpoint of the whole trail
    /// (when the chain holds) and prints it.
    pub async fn audit_checkpoint(&self, out: Option<&Path>, now: &str) -> Result<()> {
        let entries = self.store.audit_entries().await?;
        let broken = audit::verify_chain(&entries);
        if !broken.is_empty() {
            bail!(
                "the audit trail's chain is broken ({}; bagalau audit verify lists all): no checkpoint is signed over it",
                broken[0]
            );
        }
        let note = self.store.sign_audit_checkpoint(now).await?;
        let head = transparency::open(&note, &self.store.audit_keys().public())?;
        let tree = Tree::of(entries.iter().map(|e| e.hash.as_str()));
        if head.size <= tree.size() {
            ensure!(
                transparency::encode(&tree.root(head.size)?) == head.root,
                "the stored Merkle tree differs from the entries (changed outside Bagalau): bagalau audit verify tells more"
            );
        }
        match out {
            Some(path) => {
                std::fs::write(path, &note)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                outln!("Checkpoint of {head} written to {}.", path.display());
            }
            None => outln!("{}", note.trim_end()),
        }
        Ok(())
    }

    /// `bagalau audit prove`: the proof that an entry is in the trail a
    /// checkpoint signed.
    pub async fn audit_prove(
        &self,
        seq: u64,
        checkpoint: Option<&Path>,
        public_keys: &[String],
    ) -> Result<()> {
        let note = match checkpoint {
            Some(path) => read_checkpoint(path)?,
            None => {
                self.store
                    .latest_audit_checkpoint()
                    .await?
                    .ok_or_else(|| {
                        anyhow!(
                            "the trail has no checkpoint yet: bagalau audit checkpoint signs one"
                        )
                    })?
                    .1
            }
        };
        let head = transparency::open(&note, &self.public_keys(public_keys)?)?;
        ensure!(
            (1..=head.size).contains(&seq),
            "the checkpoint signs entries 1 to {}: entry {seq} is not among them",
            head.size
        );
        let entries = self.store.audit_entries().await?;
        let tree = Tree::of(entries.iter().map(|e| e.hash.as_str()));
        ensure!(
            head.size <= tree.size() && transparency::encode(&tree.root(head.size)?) == head.root,
            "the trail no longer holds the entries this checkpoint signed ({head}): it was rewritten or cut; bagalau audit verify tells more"
        );
        let entry = entries
            .get(usize::try_from(seq - 1)?)
            .filter(|e| e.seq == seq as i64 && audit::entry_hash(e) == e.hash)
            .ok_or_else(|| {
                anyhow!("entry {seq} was altered or is missing: bagalau audit verify tells more")
            })?;
        let leaf = transparency::leaf(&entry.hash);
        let proof = tree.inclusion(head.size, seq - 1)?;
        let root = transparency::decode(&head.root)?;
        transparency::check_inclusion(&proof, head.size, root, seq - 1, leaf)?;
        outln!(
            "Entry {seq} ({}, {}: {} {} {}) is in the trail the checkpoint signed: {head}.",
            entry.at,
            entry.actor,
            entry.action,
            entry.entity,
            entry.key
        );
        outln!("Entry hash: {}", entry.hash);
        outln!("Leaf: {leaf}");
        outln!(
            "Inclusion proof ({} hash(es), RFC 9162 2.1.3):",
            proof.len()
        );
        for h in &proof {
            outln!("  {h}");
        }
        Ok(())
    }
}
