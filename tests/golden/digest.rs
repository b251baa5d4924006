//! Bit-exact fingerprints of a run, shared by the native golden test (`tests/golden.rs`) and
//! the browser test (`tests/web.rs`), so both sides compute them the same way.

/// FNV-1a (64-bit) over the little-endian bytes of `words`, as 16 hex digits.
pub fn fnv1a(words: impl IntoIterator<Item = u64>) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    for w in words {
        for byte in w.to_le_bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(PRIME);
        }
    }
    format!("{h:016x}")
}

/// The fingerprint of a daily series: every value's exact bit pattern.
pub fn series_hash(values: &[f64]) -> String {
    fnv1a(values.iter().map(|v| v.to_bits()))
}

/// The fingerprint of the flows matrix.
pub fn flows_hash(flows: &[u32]) -> String {
    fnv1a(flows.iter().map(|&c| u64::from(c)))
}

/// The exact bit pattern of a number, as 16 hex digits.
pub fn bits(value: f64) -> String {
    format!("{:016x}", value.to_bits())
}
