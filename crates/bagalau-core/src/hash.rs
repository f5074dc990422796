//! Content hashes recorded with every result.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// An incremental SHA-256 over length-prefixed fields, so that
/// ("ab", "c") and ("a", "bc") hash differently.
#[derive(Default)]
pub struct FieldHasher(Sha256);

impl FieldHasher {
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}
