//! The audit trail as a verifiable log, in the manner of Certificate
//! Transparency (RFC 9162, section 2.1) and the Go checksum database.
//!
//! The hash chain of [`crate::audit`] shows an entry edited in place; it
//! cannot show a trail rewritten whole by someone who can write the
//! database, nor an entry appended by them. Here the entries are the leaves
//! of a Merkle tree (leaf `SHA-256(0x00 ‖ record)`, node `SHA-256(0x01 ‖
//! left ‖ right)`, the record of an entry being its chained hash as
//! written, 64 hex digits), and its heads are signed with an Ed25519 key
//! kept outside the database, as C2SP signed notes in the C2SP
//! tlog-checkpoint format:
//!
//! ```text
//! <origin>
//! <number of entries>
//! <root, base64>
//! time <RFC 3339>
//! written <first>-<last>
//! ```
//!
//! `written` names the entries appended by the write the checkpoint was
//! signed at: Bagalau signs one checkpoint at each write, so an entry that
//! no checkpoint says was written is one Bagalau never wrote. A checkpoint
//! signed on request (`bagalau audit checkpoint`) has no `written` line.
//! Anyone who keeps a checkpoint can later check that the log is an
//! append-only extension of it (a consistency proof), and that an entry
//! is in it (an inclusion proof), with the log's public key alone.
//!
//! The Merkle mathematics and the note format are those of the `tlog_tiles`
//! and `signed_note` crates (ports of Go's `golang.org/x/mod/sumdb`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use signed_note::{Note, StandardSigner, StandardVerifier, Verifier, VerifierList};
use std::collections::HashMap;
use std::fmt;
use tlog_tiles::{Checkpoint, HashReader};

pub use tlog_tiles::Hash;

/// Why a key, a checkpoint or a proof was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LogError {
    #[error(
        "not an audit signing key: expected one line PRIVATE+KEY+<origin>+<key id>+<key> (bagalau audit keygen makes one)"
    )]
    SigningKey,
    #[error("not an audit public key: expected <origin>+<key id>+<key>, found `{0}`")]
    PublicKey(String),
    #[error(
        "the log's origin must be a name without spaces or `+`, such as bagalau.example.kz/audit"
    )]
    Origin,
    #[error("not a checkpoint: {0}")]
    Malformed(String),
    #[error("the checkpoint's signature does not verify with the log's public key{0}")]
    Signature(String),
    #[error("{0}")]
    Tree(String),
}

type Result<T, E = LogError> = std::result::Result<T, E>;

/// The leaf of an entry: RFC 9162's leaf hash of its chained hash.
pub fn leaf(entry_hash: &str) -> Hash {
    tlog_tiles::record_hash(entry_hash.as_bytes())
}

/// A hash as checkpoints write it (base64).
pub fn encode(hash: &Hash) -> String {
    hash.to_string()
}

pub fn decode(text: &str) -> Result<Hash> {
    Hash::parse_hash(text.trim())
        .map_err(|_| LogError::Malformed(format!("`{}` is not a hash", short(text))))
}

fn short(text: &str) -> String {
    text.chars().take(80).collect()
}

fn tree_error(e: tlog_tiles::Error) -> LogError {
    LogError::Tree(e.to_string())
}

/// The whole tree in memory, its hashes kept in the order of the Go
/// checksum database's stored hashes (`stored_hash_index`).
#[derive(Default)]
pub struct Tree {
    stored: Vec<Hash>,
    size: u64,
}

impl HashReader for Tree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.stored.get(i).copied())
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl Tree {
    /// The tree of the entries with these chained hashes, in sequence order.
    pub fn of<'a>(entry_hashes: impl IntoIterator<Item = &'a str>) -> Tree {
        let mut tree = Tree::default();
        for h in entry_hashes {
            tree.push(leaf(h));
        }
        tree
    }

    fn push(&mut self, leaf: Hash) {
        // Reads only hashes already stored: it cannot fail.
        let hashes = tlog_tiles::stored_hashes_for_record_hash(self.size, leaf, &*self)
            .expect("a tree in memory holds every hash it needs");
        self.stored.extend(hashes);
        self.size += 1;
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Every hash of the tree with its stored-hash index, for a store.
    pub fn stored_hashes(&self) -> impl Iterator<Item = (u64, Hash)> + '_ {
        (0u64..).zip(self.stored.iter().copied())
    }

    /// The hashes at these stored-hash indexes.
    pub fn hashes_at(&self, indexes: &[u64]) -> Result<Vec<Hash>> {
        self.read_hashes(indexes).map_err(tree_error)
    }

    /// The root of the tree of the first `size` entries.
    pub fn root(&self, size: u64) -> Result<Hash> {
        self.within(size)?;
        tlog_tiles::tree_hash(size, self).map_err(tree_error)
    }

    /// The proof that the entry at `index` (its sequence number less one)
    /// is in the tree of the first `size` entries.
    pub fn inclusion(&self, size: u64, index: u64) -> Result<Vec<Hash>> {
        self.within(size)?;
        if index >= size {
            return Err(LogError::Tree(format!(
                "entry {} is not among the first {size}",
                index + 1
            )));
        }
        tlog_tiles::prove_record(size, index, self).map_err(tree_error)
    }

    /// The proof that the tree of the first `size` entries extends the
    /// tree of the first `old` entries.
    pub fn consistency(&self, size: u64, old: u64) -> Result<Vec<Hash>> {
        self.within(size)?;
        if old == 0 || old > size {
            return Err(LogError::Tree(format!(
                "no consistency proof from {old} entries to {size}"
            )));
        }
        tlog_tiles::prove_tree(size, old, self).map_err(tree_error)
    }

    fn within(&self, size: u64) -> Result<()> {
        if size > self.size {
            return Err(LogError::Tree(format!(
                "the log holds {} entries, not {size}",
                self.size
            )));
        }
        Ok(())
    }
}

/// Checks that `proof` shows the entry at `index` with leaf `leaf` in the
/// tree of `size` entries whose root is `root`.
pub fn check_inclusion(
    proof: &[Hash],
    size: u64,
    root: Hash,
    index: u64,
    leaf: Hash,
) -> Result<()> {
    if index >= size {
        return Err(LogError::Tree(format!(
            "entry {} is not among {size}",
            index + 1
        )));
    }
    tlog_tiles::check_record(&proof.to_vec(), size, root, index, leaf)
        .map_err(|_| LogError::Tree("the inclusion proof does not hold".into()))
}

/// Checks that `proof` shows the tree of `size` entries with root `root`
/// to extend the tree of `old` entries with root `old_root`.
pub fn check_consistency(
    proof: &[Hash],
    size: u64,
    root: Hash,
    old: u64,
    old_root: Hash,
) -> Result<()> {
    if old == 0 || old > size {
        return Err(LogError::Tree(format!(
            "no consistency from {old} entries to {size}"
        )));
    }
    tlog_tiles::check_tree(&proof.to_vec(), size, root, old, old_root)
        .map_err(|_| LogError::Tree("the consistency proof does not hold".into()))
}

/// The stored hashes a tree of `size` entries needs to grow: the roots of
/// its largest complete subtrees (at most one per bit of `size`).
pub fn frontier(size: u64) -> Vec<u64> {
    if size == 0 {
        Vec::new()
    } else {
        tlog_tiles::sub_tree_index(0, size, Vec::new())
    }
}

/// What appending leaves to a stored tree writes: the new stored hashes
/// (index, hash) and the new root.
pub struct Growth {
    pub stored: Vec<(u64, Hash)>,
    pub root: Hash,
}

struct Known(HashMap<u64, Hash>);

impl HashReader for Known {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|i| {
                self.0
                    .get(i)
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

/// Appends `leaves` to the stored tree of `size` entries whose
/// [`frontier`] hashes are `frontier` (in that order).
pub fn grow(size: u64, frontier_hashes: &[Hash], leaves: &[Hash]) -> Result<Growth> {
    let indexes = frontier(size);
    if indexes.len() != frontier_hashes.len() {
        return Err(LogError::Tree(format!(
            "the stored tree of {size} entries lacks hashes: {} of {} found",
            frontier_hashes.len(),
            indexes.len()
        )));
    }
    let mut known = Known(
        indexes
            .into_iter()
            .zip(frontier_hashes.iter().copied())
            .collect(),
    );
    let mut stored = Vec::new();
    for (n, leaf) in (size..).zip(leaves) {
        let start = tlog_tiles::stored_hash_index(0, n);
        let hashes =
            tlog_tiles::stored_hashes_for_record_hash(n, *leaf, &known).map_err(tree_error)?;
        for (index, hash) in (start..).zip(hashes) {
            known.0.insert(index, hash);
            stored.push((index, hash));
        }
    }
    let root = tlog_tiles::tree_hash(size + leaves.len() as u64, &known).map_err(tree_error)?;
    Ok(Growth { stored, root })
}

/// A signed tree head, as its note says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub origin: String,
    pub size: u64,
    pub root: String,
    /// RFC 3339, when it was signed.
    pub at: String,
    /// The entries appended by the write it was signed at, first and last.
    pub written: Option<(u64, u64)>,
}

impl Head {
    fn text(&self) -> Result<Vec<u8>> {
        let mut extension = format!("time {}\n", self.at);
        if let Some((first, last)) = self.written {
            extension.push_str(&format!("written {first}-{last}\n"));
        }
        let checkpoint = Checkpoint::new(&self.origin, self.size, decode(&self.root)?, &extension)
            .map_err(|e| LogError::Malformed(e.to_string()))?;
        Ok(checkpoint.to_bytes())
    }

    fn parse(text: &[u8]) -> Result<Head> {
        let checkpoint =
            Checkpoint::from_bytes(text).map_err(|e| LogError::Malformed(e.to_string()))?;
        let mut head = Head {
            origin: checkpoint.origin().to_string(),
            size: checkpoint.size(),
            root: encode(checkpoint.hash()),
            at: String::new(),
            written: None,
        };
        for line in checkpoint.extension().lines() {
            if let Some(at) = line.strip_prefix("time ") {
                head.at = at.to_string();
            } else if let Some(range) = line.strip_prefix("written ") {
                let (first, last) = range
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
                    .filter(|(a, b)| 1 <= *a && a <= b && *b <= checkpoint.size())
                    .ok_or_else(|| LogError::Malformed(format!("bad line `{}`", short(line))))?;
                head.written = Some((first, last));
            }
        }
        Ok(head)
    }
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} entries, root {}", self.size, self.root)?;
        if !self.at.is_empty() {
            write!(f, ", signed {}", self.at)?;
        }
        Ok(())
    }
}

/// The key that signs checkpoints, kept in a file outside the database.
pub struct SigningKey {
    signer: StandardSigner,
    origin: String,
    public: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.public)
    }
}

const ED25519: u8 = 0x01;

impl SigningKey {
    /// A new key pair for the log named `origin` from 32 random bytes:
    /// (the private key's text, the public key's text).
    pub fn generate(origin: &str, seed: [u8; 32]) -> Result<(String, String)> {
        if !signed_note::is_key_name_valid(origin) {
            return Err(LogError::Origin);
        }
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let public = signed_note::new_ed25519_verifier_key(origin, &key.verifying_key());
        let mut encoded_public = vec![ED25519];
        encoded_public.extend(key.verifying_key().to_bytes());
        let id = signed_note::key_id(origin, &encoded_public);
        let mut private = vec![ED25519];
        private.extend(seed);
        Ok((
            format!("PRIVATE+KEY+{origin}+{id:08x}+{}", BASE64.encode(private)),
            public,
        ))
    }

    /// Reads the private key's text (surrounding white space ignored).
    pub fn parse(text: &str) -> Result<SigningKey> {
        let text = text.trim();
        let signer = StandardSigner::new(text).map_err(|_| LogError::SigningKey)?;
        let mut parts = text.splitn(5, '+').skip(2);
        let origin = parts.next().ok_or(LogError::SigningKey)?.to_string();
        let seed: [u8; 33] = parts
            .nth(1)
            .and_then(|k| BASE64.decode(k).ok())
            .and_then(|k| k.try_into().ok())
            .ok_or(LogError::SigningKey)?;
        let key =
            ed25519_dalek::SigningKey::try_from(&seed[1..]).map_err(|_| LogError::SigningKey)?;
        let public = signed_note::new_ed25519_verifier_key(&origin, &key.verifying_key());
        Ok(SigningKey {
            signer,
            origin,
            public,
        })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The public key's text: `<origin>+<key id>+<key>`.
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// The signed note of a tree head of this log.
    pub fn sign(
        &self,
        size: u64,
        root: &Hash,
        at: &str,
        written: Option<(u64, u64)>,
    ) -> Result<String> {
        let head = Head {
            origin: self.origin.clone(),
            size,
            root: encode(root),
            at: at.to_string(),
            written,
        };
        let mut note =
            Note::new(&head.text()?, &[]).map_err(|e| LogError::Malformed(e.to_string()))?;
        note.add_sigs(&[&self.signer])
            .map_err(|e| LogError::Malformed(e.to_string()))?;
        String::from_utf8(note.to_bytes()).map_err(|e| LogError::Malformed(e.to_string()))
    }
}

fn verifier(key: &str) -> Result<StandardVerifier> {
    let key = key.trim();
    StandardVerifier::new(key).map_err(|_| LogError::PublicKey(short(key)))
}

/// Checks that a text is a public key of a log.
pub fn check_public_key(key: &str) -> Result<()> {
    verifier(key).map(|_| ())
}

/// Checks a checkpoint's signature with the log's public keys (the current
/// one and those it replaced) and reads its head. The key that signed must
/// carry the checkpoint's origin as its name.
pub fn open(note: &str, public_keys: &[String]) -> Result<Head> {
    let mut verifiers: Vec<Box<dyn Verifier>> = Vec::new();
    for key in public_keys {
        verifiers.push(Box::new(verifier(key)?));
    }
    let note = Note::from_bytes(note.as_bytes()).map_err(|e| LogError::Malformed(e.to_string()))?;
    let (verified, _) = note.verify(&VerifierList::new(verifiers)).map_err(|e| {
        LogError::Signature(match e {
            signed_note::NoteError::UnverifiedNote => ": it was signed by none of them".into(),
            _ => String::new(),
        })
    })?;
    let head = Head::parse(note.text())?;
    if !verified.iter().any(|s| s.name() == head.origin) {
        return Err(LogError::Signature(format!(
            ": no key named {} signed it",
            short(&head.origin)
        )));
    }
    Ok(head)
}

/// What the checkpoints show wrong with the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A checkpoint that the log's keys did not sign.
    Forged { size: Option<u64>, reason: String },
    /// The first `size` entries are not those a checkpoint signed.
    Rewritten { size: u64, at: String },
    /// A checkpoint signed more entries than the log holds.
    Truncated { size: u64, now: u64 },
    /// Entries appended after signing began that no checkpoint says
    /// Bagalau wrote.
    Unsigned { first: u64, last: u64 },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Forged {
                size: Some(size),
                reason,
            } => {
                write!(
                    f,
                    "the checkpoint stored for {size} entries is not the log's: {reason}"
                )
            }
            Problem::Forged { size: None, reason } => {
                write!(f, "a checkpoint is not the log's: {reason}")
            }
            Problem::Rewritten { size, at } => write!(
                f,
                "the audit trail was rewritten: its first {size} entries are not those signed at {at}"
            ),
            Problem::Truncated { size, now } => write!(
                f,
                "audit entries were deleted: a checkpoint signed {size} entries, the trail holds {now}"
            ),
            Problem::Unsigned { first, last } if first == last => write!(
                f,
                "audit entry {first} was not written by Bagalau: no checkpoint was signed when it was written"
            ),
            Problem::Unsigned { first, last } => write!(
                f,
                "audit entries {first} to {last} were not written by Bagalau: no checkpoint was signed when they were written"
            ),
        }
    }
}

/// What checking the log against checkpoints found.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// The latest checkpoint that holds, if any.
    pub latest: Option<Head>,
    /// The consistency proof from each given checkpoint to the whole log.
    pub proofs: Vec<(Head, Vec<Hash>)>,
}

/// Checks the log (its tree) against checkpoints: those stored with it
/// (`(stored size, note)`) and those kept elsewhere (notes, given by an
/// auditor). Every checkpoint must be signed by the log's keys and sign a
/// prefix of today's log; once the log is signed, every entry must have
/// been written under a checkpoint.
pub fn check(
    tree: &Tree,
    stored: &[(u64, String)],
    given: &[String],
    public_keys: &[String],
) -> Report {
    let mut report = Report::default();
    let mut heads = Vec::new();
    for (size, note) in stored {
        match open(note, public_keys) {
            Ok(head) if head.size == *size => heads.push(head),
            Ok(head) => report.problems.push(Problem::Forged {
                size: Some(*size),
                reason: format!("it signs {} entries", head.size),
            }),
            Err(e) => report.problems.push(Problem::Forged {
                size: Some(*size),
                reason: e.to_string(),
            }),
        }
    }
    let mut outside = Vec::new();
    for note in given {
        match open(note, public_keys) {
            Ok(head) => outside.push(head),
            Err(e) => report.problems.push(Problem::Forged {
                size: None,
                reason: e.to_string(),
            }),
        }
    }
    let now = tree.size();
    for head in heads.iter().chain(&outside) {
        if head.size > now {
            report.problems.push(Problem::Truncated {
                size: head.size,
                now,
            });
        } else if head.size > 0
            && tree.root(head.size).map(|r| encode(&r)).as_deref() != Ok(head.root.as_str())
        {
            report.problems.push(Problem::Rewritten {
                size: head.size,
                at: head.at.clone(),
            });
        }
    }
    for head in &outside {
        if head.size == 0
            || head.size > now
            || report
                .problems
                .iter()
                .any(|p| matches!(p, Problem::Rewritten { size, .. } if *size == head.size))
        {
            continue;
        }
        if let (Ok(proof), Ok(root), Ok(old_root)) = (
            tree.consistency(now, head.size),
            tree.root(now),
            decode(&head.root),
        ) && check_consistency(&proof, now, root, head.size, old_root).is_ok()
        {
            report.proofs.push((head.clone(), proof));
        }
    }
    // Signing began with the first checkpoint: entries after it must each
    // have been written under one.
    let began = heads
        .iter()
        .chain(&outside)
        .map(|h| h.written.map_or(h.size, |(first, _)| first - 1))
        .min();
    if let Some(began) = began {
        let mut covered: Vec<(u64, u64)> = heads.iter().filter_map(|h| h.written).collect();
        covered.sort_unstable();
        let mut next = began + 1;
        let mut gaps = Vec::new();
        for (first, last) in covered {
            if first > next {
                gaps.push((next, (first - 1).min(now)));
            }
            next = next.max(last + 1);
        }
        if next <= now {
            gaps.push((next, now));
        }
        report.problems.extend(
            gaps.into_iter()
                .filter(|(a, b)| a <= b)
                .map(|(first, last)| Problem::Unsigned { first, last }),
        );
    }
    let intact = |h: &&Head| {
        !report.problems.iter().any(|p| match p {
            Problem::Rewritten { size, .. } | Problem::Truncated { size, .. } => *size == h.size,
            _ => false,
        })
    };
    report.latest = heads.iter().filter(intact).max_by_key(|h| h.size).cloned();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn h(parts: &[&[u8]]) -> Hash {
        let mut s = Sha256::new();
        for p in parts {
            s.update(p);
        }
        Hash(s.finalize().into())
    }

    const ENTRIES: [&str; 5] = ["e1", "e2", "e3", "e4", "e5"];

    #[test]
    fn roots_are_rfc_9162_merkle_tree_hashes() {
        // Worked by hand from RFC 9162, 2.1.1: MTH of 3 leaves is
        // H(0x01 ‖ H(0x01 ‖ L0 ‖ L1) ‖ L2), with Li = H(0x00 ‖ di).
        let l: Vec<Hash> = ENTRIES.iter().map(|e| h(&[&[0], e.as_bytes()])).collect();
        let n01 = h(&[&[1], &l[0].0, &l[1].0]);
        let tree = Tree::of(ENTRIES);
        assert_eq!(tree.root(1).unwrap(), l[0]);
        assert_eq!(tree.root(2).unwrap(), n01);
        assert_eq!(tree.root(3).unwrap(), h(&[&[1], &n01.0, &l[2].0]));
        let n23 = h(&[&[1], &l[2].0, &l[3].0]);
        let n0123 = h(&[&[1], &n01.0, &n23.0]);
        assert_eq!(tree.root(5).unwrap(), h(&[&[1], &n0123.0, &l[4].0]));
        assert_eq!(tree.root(0).unwrap(), h(&[]));
    }

    #[test]
    fn growing_a_stored_tree_gives_the_same_hashes() {
        let whole = Tree::of(ENTRIES);
        for split in 0..=5u64 {
            let first = Tree::of(ENTRIES[..split as usize].iter().copied());
            let frontier_hashes = first.read_hashes(&frontier(split)).unwrap();
            let leaves: Vec<Hash> = ENTRIES[split as usize..].iter().map(|e| leaf(e)).collect();
            let growth = grow(split, &frontier_hashes, &leaves).unwrap();
            assert_eq!(growth.root, whole.root(5).unwrap(), "split at {split}");
            for (index, hash) in growth.stored {
                assert_eq!(whole.stored[index as usize], hash);
            }
        }
        assert!(grow(3, &[], &[leaf("x")]).is_err());
    }

    #[test]
    fn proofs_hold_and_fail_as_they_should() {
        let tree = Tree::of(ENTRIES);
        let root = tree.root(5).unwrap();
        for i in 0..5 {
            let proof = tree.inclusion(5, i).unwrap();
            check_inclusion(&proof, 5, root, i, leaf(ENTRIES[i as usize])).unwrap();
            assert!(check_inclusion(&proof, 5, root, i, leaf("forged")).is_err());
        }
        for old in 1..=5 {
            let proof = tree.consistency(5, old).unwrap();
            check_consistency(&proof, 5, root, old, tree.root(old).unwrap()).unwrap();
            let other = Tree::of(["x1", "x2", "x3", "x4", "x5"]);
            assert!(check_consistency(&proof, 5, root, old, other.root(old).unwrap()).is_err());
        }
        assert!(tree.inclusion(5, 5).is_err());
        assert!(tree.consistency(5, 0).is_err());
        assert!(tree.consistency(6, 1).is_err());
        assert!(check_consistency(&[], 2, root, 3, root).is_err());
    }

    fn key() -> SigningKey {
        let (private, public) = SigningKey::generate("bagalau.example/audit", [7; 32]).unwrap();
        let key = SigningKey::parse(&format!("{private}\n")).unwrap();
        assert_eq!(key.public_key(), public);
        key
    }

    #[test]
    fn checkpoints_are_signed_notes_that_open_with_the_public_key_only() {
        let key = key();
        let tree = Tree::of(ENTRIES);
        let note = key
            .sign(
                5,
                &tree.root(5).unwrap(),
                "2026-12-07T10:00:00Z",
                Some((4, 5)),
            )
            .unwrap();
        assert!(note.starts_with("bagalau.example/audit\n5\n"), "{note}");
        assert!(note.contains(
            "\ntime 2026-12-07T10:00:00Z\nwritten 4-5\n\n\u{2014} bagalau.example/audit "
        ));
        let head = open(&note, &[key.public_key().to_string()]).unwrap();
        assert_eq!((head.size, head.written), (5, Some((4, 5))));
        let other = SigningKey::parse(
            &SigningKey::generate("bagalau.example/audit", [8; 32])
                .unwrap()
                .0,
        )
        .unwrap();
        assert!(matches!(
            open(&note, &[other.public_key().into()]),
            Err(LogError::Signature(_))
        ));
        let altered = note.replacen("\n5\n", "\n4\n", 1);
        assert!(matches!(
            open(&altered, &[key.public_key().into()]),
            Err(LogError::Signature(_))
        ));
        assert!(open("garbage", &[key.public_key().into()]).is_err());
        assert!(matches!(
            open(&note, &["nonsense".into()]),
            Err(LogError::PublicKey(_))
        ));
        assert_eq!(
            SigningKey::parse("PRIVATE+KEY+x").unwrap_err(),
            LogError::SigningKey
        );
        assert_eq!(
            SigningKey::generate("has space", [1; 32]).unwrap_err(),
            LogError::Origin
        );
    }

    #[test]
    fn checkpoints_find_a_rewritten_an_appended_and_a_truncated_trail() {
        let key = key();
        let keys = [key.public_key().to_string()];
        let tree = Tree::of(ENTRIES);
        let sign = |size: u64, written| {
            key.sign(size, &tree.root(size).unwrap(), "t", written)
                .unwrap()
        };
        // Written in three writes: 1-2, 3, 4-5.
        let stored = vec![
            (2, sign(2, Some((1, 2)))),
            (3, sign(3, Some((3, 3)))),
            (5, sign(5, Some((4, 5)))),
        ];
        let report = check(&tree, &stored, &[], &keys);
        assert_eq!(report.problems, vec![]);
        assert_eq!(report.latest.unwrap().size, 5);

        // An entry appended by hand, chained correctly: nothing signed it.
        let appended = Tree::of(ENTRIES.iter().copied().chain(["forged"]));
        assert_eq!(
            check(&appended, &stored, &[], &keys).problems,
            vec![Problem::Unsigned { first: 6, last: 6 }]
        );

        // History rewritten from entry 3, its checkpoints deleted: the
        // checkpoint kept by an auditor shows it.
        let rewritten = Tree::of(["e1", "e2", "X3", "e4", "e5"]);
        let kept = sign(3, Some((3, 3)));
        let report = check(&rewritten, &stored[..1], std::slice::from_ref(&kept), &keys);
        assert!(
            report.problems.contains(&Problem::Rewritten {
                size: 3,
                at: "t".into()
            }),
            "{:?}",
            report.problems
        );
        assert!(
            report
                .problems
                .contains(&Problem::Unsigned { first: 3, last: 5 })
        );
        let report = check(&tree, &stored, &[kept], &keys);
        assert_eq!(report.problems, vec![]);
        assert_eq!(report.proofs.len(), 1);

        // Entries deleted from the end.
        let truncated = Tree::of(ENTRIES[..4].iter().copied());
        assert!(
            check(&truncated, &stored, &[], &keys)
                .problems
                .contains(&Problem::Truncated { size: 5, now: 4 })
        );

        // A stored checkpoint whose signature was made up.
        let forged = vec![(2, stored[0].1.replace("written 1-2", "written 1-1"))];
        assert!(matches!(
            check(&tree, &forged, &[], &keys).problems[0],
            Problem::Forged { size: Some(2), .. }
        ));

        // A log signed from entry 3 on (the earlier ones predate the key).
        let late = vec![(3, sign(3, None)), (5, sign(5, Some((4, 5))))];
        assert_eq!(check(&tree, &late, &[], &keys).problems, vec![]);
    }
}
