//! Secrets at rest: each workspace's tokens are sealed with an AEAD
//! (XChaCha20-Poly1305, RustCrypto) under `WB_ENCRYPTION_KEY` before they
//! reach the database. Every value gets a fresh random 192-bit nonce from the
//! OS and carries the id of the key that sealed it, so the key can rotate:
//! values sealed under a previous key (`WB_ENCRYPTION_KEY_PREVIOUS`) still
//! open, and are sealed again under the current one. Each value is bound to
//! where it belongs (its installation and field, the associated data), so a
//! sealed token copied into another row does not open.
//!
//! A sealed value is `wb1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`.
//! Also the OS's randomness for OAuth `state` values ([`random_token`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// Length of an encryption key: 256 bits.
pub const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;
const PREFIX: &str = "wb1";

/// Why a sealed value cannot be opened (never says what it holds).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("not a sealed value")]
    Malformed,
    /// Sealed under a key this process was not given.
    #[error("sealed under key {0}, which is neither WB_ENCRYPTION_KEY nor a previous key")]
    UnknownKey(String),
    /// The key id matched but the value does not authenticate (tampered,
    /// or moved to another row).
    #[error("does not authenticate under key {0}")]
    Forged(String),
    #[error("the system's random number generator failed")]
    Random,
}

struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl Key {
    fn new(bytes: &[u8; KEY_BYTES]) -> Self {
        Self {
            id: key_id(bytes),
            cipher: XChaCha20Poly1305::new(&(*bytes).into()),
        }
    }
}

/// The key id: 12 hex digits of a hash of the key, which names it in logs
/// and sealed values without telling anything about it.
pub fn key_id(key: &[u8; KEY_BYTES]) -> String {
    let mut hash = Sha256::new();
    hash.update(b"wb encryption key id\0");
    hash.update(key);
    hex::encode(&hash.finalize()[..6])
}

/// The current key (sealing and opening) and previous ones (opening only).
pub struct Vault {
    current: Key,
    previous: Vec<Key>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("key_id", &self.current.id)
            .field("previous", &self.previous.len())
            .finish()
    }
}

impl Vault {
    pub fn new(current: &[u8; KEY_BYTES], previous: &[[u8; KEY_BYTES]]) -> Self {
        Self {
            current: Key::new(current),
            previous: previous.iter().map(Key::new).collect(),
        }
    }

    /// The id of the key new values are sealed under.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    /// Seals `plain` for `context` (where it is stored, e.g. `T:T123/bot`).
    pub fn seal(&self, plain: &str, context: &str) -> Result<String, VaultError> {
        let nonce_bytes = <[u8; NONCE_BYTES]>::try_generate().map_err(|_| VaultError::Random)?;
        let nonce = XNonce::from(nonce_bytes);
        let aad = associated(&self.current.id, context);
        let sealed = self
            .current
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Malformed)?;
        let mut bytes = Vec::with_capacity(NONCE_BYTES + sealed.len());
        bytes.extend_from_slice(&nonce_bytes);
        bytes.extend_from_slice(&sealed);
        Ok(format!(
            "{PREFIX}.{}.{}",
            self.current.id,
            URL_SAFE_NO_PAD.encode(bytes)
        ))
    }

    /// Opens a value sealed for `context` under the current or a previous key.
    pub fn open(&self, sealed: &str, context: &str) -> Result<String, VaultError> {
        let (id, body) = parts(sealed).ok_or(VaultError::Malformed)?;
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == id)
            .ok_or_else(|| VaultError::UnknownKey(id.to_string()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| VaultError::Malformed)?;
        if bytes.len() < NONCE_BYTES {
            return Err(VaultError::Malformed);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| VaultError::Malformed)?;
        let aad = associated(&key.id, context);
        let plain = key
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Forged(key.id.clone()))?;
        String::from_utf8(plain).map_err(|_| VaultError::Forged(key.id.clone()))
    }

    /// True when `sealed` is under the current key (nothing to re-seal).
    pub fn is_current(&self, sealed: &str) -> bool {
        parts(sealed).is_some_and(|(id, _)| id == self.current.id)
    }
}

/// The key id and body of a sealed value.
fn parts(sealed: &str) -> Option<(&str, &str)> {
    let rest = sealed.strip_prefix(PREFIX)?.strip_prefix('.')?;
    let (id, body) = rest.split_once('.')?;
    (!id.is_empty() && !body.is_empty()).then_some((id, body))
}

fn associated(key_id: &str, context: &str) -> Vec<u8> {
    format!("{PREFIX}|{key_id}|{context}").into_bytes()
}

/// `bytes` random bytes from the OS, as URL-safe base64 (OAuth `state`).
pub fn random_token<const N: usize>() -> Result<String, VaultError> {
    let bytes = <[u8; N]>::try_generate().map_err(|_| VaultError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: [u8; 32] = [7; 32];
    const B: [u8; 32] = [9; 32];

    #[test]
    fn a_sealed_value_opens_only_where_it_belongs() {
        let vault = Vault::new(&A, &[]);
        let sealed = vault.seal("xoxb-secret-1", "T:T1/bot").expect("seal");
        assert!(sealed.starts_with(&format!("wb1.{}.", vault.key_id())));
        assert!(!sealed.contains("xoxb"), "{sealed}");
        assert_eq!(
            vault.open(&sealed, "T:T1/bot").expect("open"),
            "xoxb-secret-1"
        );
        // Moved to another row or field: refused.
        assert!(matches!(
            vault.open(&sealed, "T:T2/bot"),
            Err(VaultError::Forged(_))
        ));
        // Tampered with.
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).expect("utf8");
        assert!(vault.open(&tampered, "T:T1/bot").is_err());
        assert_eq!(
            vault.open("xoxb-plain", "T:T1/bot"),
            Err(VaultError::Malformed)
        );
    }

    #[test]
    fn every_value_gets_its_own_nonce() {
        let vault = Vault::new(&A, &[]);
        let one = vault.seal("same", "c").expect("seal");
        let two = vault.seal("same", "c").expect("seal");
        assert_ne!(one, two);
    }

    #[test]
    fn keys_rotate_values_sealed_before_still_open() {
        let old = Vault::new(&A, &[]);
        let sealed = old.seal("xoxe-refresh", "E:E1/refresh").expect("seal");
        let rotated = Vault::new(&B, &[A]);
        assert!(!rotated.is_current(&sealed));
        assert_eq!(
            rotated.open(&sealed, "E:E1/refresh").expect("open"),
            "xoxe-refresh"
        );
        let resealed = rotated.seal("xoxe-refresh", "E:E1/refresh").expect("seal");
        assert!(rotated.is_current(&resealed));
        // Without the old key, the old value names the key it needs.
        let forgot = Vault::new(&B, &[]);
        assert_eq!(
            forgot.open(&sealed, "E:E1/refresh"),
            Err(VaultError::UnknownKey(key_id(&A)))
        );
        assert_ne!(key_id(&A), key_id(&B));
        assert!(!format!("{rotated:?}").contains("cipher"));
    }

    #[test]
    fn random_tokens_are_long_and_different() {
        let a = random_token::<32>().expect("random");
        let b = random_token::<32>().expect("random");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
    }
}
