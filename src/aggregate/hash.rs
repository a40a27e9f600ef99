//! SipHash-2-4 with fixed keys: a 64-bit hash that is the same on every
//! run, machine and Rust version (unlike std's `RandomState`), used for the
//! de-duplication keys and the snapshot checksum.

/// The fixed keys ("jingmin\0", "aggregat" in little-endian ASCII).
const K0: u64 = 0x006e_696d_676e_696a;
const K1: u64 = 0x7461_6765_7267_6761;

/// A streaming SipHash-2-4 hasher.
#[derive(Clone, Debug)]
pub(crate) struct Sip24 {
    v0: u64,
    v1: u64,
    v2: u64,
    v3: u64,
    tail: u64,
    ntail: u32,
    length: u64,
}

impl Sip24 {
    /// A hasher with the library's fixed keys.
    pub(crate) fn new() -> Self {
        Sip24::with_keys(K0, K1)
    }

    /// A hasher with explicit keys.
    pub(crate) fn with_keys(k0: u64, k1: u64) -> Self {
        Sip24 {
            v0: k0 ^ 0x736f_6d65_7073_6575,
            v1: k1 ^ 0x646f_7261_6e64_6f6d,
            v2: k0 ^ 0x6c79_6765_6e65_7261,
            v3: k1 ^ 0x7465_6462_7974_6573,
            tail: 0,
            ntail: 0,
            length: 0,
        }
    }

    #[inline]
    fn round(&mut self) {
        self.v0 = self.v0.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(13);
        self.v1 ^= self.v0;
        self.v0 = self.v0.rotate_left(32);
        self.v2 = self.v2.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(16);
        self.v3 ^= self.v2;
        self.v0 = self.v0.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(21);
        self.v3 ^= self.v0;
        self.v2 = self.v2.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(17);
        self.v1 ^= self.v2;
        self.v2 = self.v2.rotate_left(32);
    }

    #[inline]
    fn compress(&mut self, m: u64) {
        self.v3 ^= m;
        self.round();
        self.round();
        self.v0 ^= m;
    }

    /// Feed bytes.
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        self.length = self.length.wrapping_add(bytes.len() as u64);
        for &b in bytes {
            self.tail |= u64::from(b) << (8 * self.ntail);
            self.ntail += 1;
            if self.ntail == 8 {
                let m = self.tail;
                self.compress(m);
                self.tail = 0;
                self.ntail = 0;
            }
        }
    }

    /// Feed a `u64` as 8 little-endian bytes.
    pub(crate) fn write_u64(&mut self, v: u64) {
        self.write(&v.to_le_bytes());
    }

    /// Feed an optional string, unambiguously: absent, and present with its
    /// length, hash differently.
    pub(crate) fn write_field(&mut self, s: Option<&str>) {
        match s {
            None => self.write(&[0]),
            Some(s) => {
                self.write(&[1]);
                self.write_u64(s.len() as u64);
                self.write(s.as_bytes());
            }
        }
    }

    /// The hash.
    pub(crate) fn finish(mut self) -> u64 {
        let b = ((self.length & 0xff) << 56) | self.tail;
        self.compress(b);
        self.v2 ^= 0xff;
        self.round();
        self.round();
        self.round();
        self.round();
        self.v0 ^ self.v1 ^ self.v2 ^ self.v3
    }
}

/// The fixed-key SipHash-2-4 of a byte string.
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = Sip24::new();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors_of_the_siphash_paper() {
        // Key 00..0f; message 00..0e gives a129ca6149be45e5 (Aumasson and
        // Bernstein, appendix A); the empty message 726fdb47dd0e0e31.
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        let msg: Vec<u8> = (0u8..15).collect();
        let mut h = Sip24::with_keys(k0, k1);
        h.write(&msg);
        assert_eq!(h.finish(), 0xa129_ca61_49be_45e5);
        assert_eq!(Sip24::with_keys(k0, k1).finish(), 0x726f_db47_dd0e_0e31);
    }

    #[test]
    fn streaming_equals_one_shot() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
        let whole = hash_bytes(&data);
        for cut in [0, 1, 7, 8, 9, 63, 199, 200] {
            let mut h = Sip24::new();
            h.write(&data[..cut]);
            h.write(&data[cut..]);
            assert_eq!(h.finish(), whole, "cut {cut}");
        }
        assert_ne!(hash_bytes(b"a"), hash_bytes(b"b"));
    }

    #[test]
    fn fixed_keys_give_a_fixed_value() {
        // Pinned so that a change of keys or algorithm (which would break
        // de-duplication across snapshots) cannot pass unnoticed.
        assert_eq!(hash_bytes("警民".as_bytes()), 14_967_942_431_021_811_352);
        let mut h = Sip24::new();
        h.write_field(Some("ab"));
        h.write_field(None);
        let x = h.finish();
        let mut h = Sip24::new();
        h.write_field(Some("a"));
        h.write_field(Some("b"));
        assert_ne!(x, h.finish());
    }
}

