//! The optional keyed MAC of snapshots: HMAC-SHA-256 (RustCrypto's `hmac`
//! and `sha2`) with a key from `--snapshot-key-file` or the environment
//! variable `JINGMIN_SNAPSHOT_KEY`.
//!
//! A snapshot's own checksum detects damage, not tampering: its key is in
//! the source, so anyone can recompute it after an edit. For snapshots kept
//! on shared storage, a platform sets a key; `report --save-snapshot` and
//! `merge` then sign what they write, and `--resume`, `--from-snapshot` and
//! `merge` refuse a snapshot whose MAC is missing or does not match.
//!
//! The MAC covers the document exactly as the library wrote it and is
//! added as its last member, `"mac":"hmac-sha256:<64 hex digits>"`; the
//! library reads such a snapshot (and ignores the member) when no key is
//! given. Reformatting a signed snapshot breaks its MAC.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The environment variable that holds the key when no key file is given.
pub const KEY_ENV: &str = "JINGMIN_SNAPSHOT_KEY";

/// The shortest key accepted, in bytes.
const MIN_KEY_BYTES: usize = 16;

/// What precedes the hex digits of the MAC, the document's last member.
const MEMBER: &str = ",\"mac\":\"hmac-sha256:";

/// A snapshot key.
pub struct Key(Vec<u8>);

/// The key from `file` (its bytes, a final line end removed), else from
/// [`KEY_ENV`]; `None` when neither is set.
pub fn key(file: Option<&str>) -> Result<Option<Key>, String> {
    let (bytes, from) = match file {
        Some(path) => {
            let mut b = std::fs::read(path).map_err(|e| format!("{path}: cannot read the snapshot key: {e}"))?;
            if b.last() == Some(&b'\n') {
                b.pop();
                if b.last() == Some(&b'\r') {
                    b.pop();
                }
            }
            (b, path.to_owned())
        }
        None => match std::env::var_os(KEY_ENV) {
            Some(v) if !v.is_empty() => (v.into_encoded_bytes(), KEY_ENV.to_owned()),
            _ => return Ok(None),
        },
    };
    if bytes.len() < MIN_KEY_BYTES {
        return Err(format!("{from}: a snapshot key has at least {MIN_KEY_BYTES} bytes"));
    }
    Ok(Some(Key(bytes)))
}

fn mac_of(key: &Key, bytes: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(bytes);
    mac
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The snapshot with its MAC as last member.
pub fn sign(key: &Key, snapshot: &str) -> String {
    let tag = hex(&mac_of(key, snapshot.as_bytes()).finalize().into_bytes());
    let body = snapshot.strip_suffix('}').unwrap_or(snapshot);
    format!("{body}{MEMBER}{tag}\"}}")
}

/// Check the MAC of a snapshot read from `path` when a key is set: `Err`
/// naming the file when it has none or it does not match. Without a key
/// everything passes (the library ignores the member).
pub fn verify(key: Option<&Key>, text: &str, path: &str) -> Result<(), String> {
    let Some(key) = key else { return Ok(()) };
    let doc = text.trim_end();
    let found = doc
        .strip_suffix("\"}")
        .and_then(|d| d.rfind(MEMBER).map(|at| (at, d.get(at + MEMBER.len()..).unwrap_or(""))))
        .filter(|(_, h)| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    let Some((at, tag)) = found else {
        return Err(format!("{path}: the snapshot has no MAC, and a snapshot key is set: refused"));
    };
    let mut signed = doc.get(..at).unwrap_or("").to_owned();
    signed.push('}');
    let tag: Vec<u8> = (0..32).filter_map(|i| tag.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    mac_of(key, signed.as_bytes())
        .verify_slice(&tag)
        .map_err(|_| format!("{path}: the snapshot's MAC does not match: it was edited, or signed with another key; refused"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_snapshots_verify_and_edits_do_not() {
        let key = Key(b"0123456789abcdef".to_vec());
        let snap = r#"{"format":"jingmin-aggregator","version":1,"checksum":"00","state":{"a":1}}"#;
        let signed = sign(&key, snap);
        assert!(signed.starts_with(snap.strip_suffix('}').unwrap()) && signed.contains("\"mac\":\"hmac-sha256:"));
        verify(Some(&key), &signed, "s").unwrap();
        verify(Some(&key), &format!("{signed}\n"), "s").unwrap();
        verify(None, snap, "s").unwrap();
        assert!(verify(Some(&key), snap, "s").unwrap_err().contains("no MAC"));
        let edited = signed.replacen("\"a\":1", "\"a\":2", 1);
        assert!(verify(Some(&key), &edited, "s").unwrap_err().contains("does not match"));
        let other = Key(b"fedcba9876543210".to_vec());
        assert!(verify(Some(&other), &signed, "s").is_err());
        // The library reads a signed snapshot.
        let real = jingmin::Aggregator::default().snapshot();
        assert!(jingmin::Aggregator::restore(&sign(&key, &real)).is_ok());
    }
}
