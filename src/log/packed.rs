//! Cases and records as the log stores them since migration 2: LZ4 blocks (`lz4_flex`, pure
//! Rust) behind a 4-byte little-endian length. A full record is tens of KiB of JSON that repeats
//! its keys; packed it is a few KiB, which is what the log's one writer thread has to write (and
//! the WAL to checksum, and the checkpoint to copy). Packing happens in the request's task, so
//! the writer only writes. Reading unpacks to the exact bytes that were packed.

use super::{Entry, LogError, Outcome};

/// The longest text the log unpacks. A length above it can only come from a damaged row, and
/// is refused instead of being allocated (a batch limit is 256 MiB, a case far less).
const MAX_UNPACKED: usize = 1 << 30;

/// A text packed for the log.
pub fn pack(text: &str) -> Vec<u8> {
    lz4_flex::block::compress_prepend_size(text.as_bytes())
}

/// The text a packed blob holds; an error (never a panic) for a damaged blob.
pub fn unpack(blob: &[u8], what: &str) -> Result<String, LogError> {
    let damaged = |why: &str| LogError(format!("the logged {what} is damaged: {why}"));
    let (head, body) = blob
        .split_first_chunk::<4>()
        .ok_or_else(|| damaged("shorter than its length"))?;
    let len = u32::from_le_bytes(*head) as usize;
    if len > MAX_UNPACKED {
        return Err(damaged("its length is out of range"));
    }
    let mut out = vec![0u8; len];
    let n =
        lz4_flex::block::decompress_into(body, &mut out).map_err(|e| damaged(&e.to_string()))?;
    if n != len {
        return Err(damaged("shorter than its length"));
    }
    String::from_utf8(out).map_err(|_| damaged("not UTF-8"))
}

/// One decision ready to store: an [`Entry`] with its case and record packed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    pub id: String,
    pub time: String,
    /// [`pack`] of the case as it was received.
    pub case: Vec<u8>,
    /// [`pack`] of the record as it was sent.
    pub record: Vec<u8>,
    pub version: String,
    pub digest: String,
    pub engine: String,
    /// `sha256:` over the record's bytes (unpacked).
    pub record_sha256: String,
    pub outcomes: Vec<Outcome>,
}

impl Entry {
    /// This entry with its case and record packed for the log.
    pub fn pack(self) -> Packed {
        Packed {
            case: pack(&self.case),
            record: pack(&self.record),
            id: self.id,
            time: self.time,
            version: self.version,
            digest: self.digest,
            engine: self.engine,
            record_sha256: self.record_sha256,
            outcomes: self.outcomes,
        }
    }
}

/// A stored row's case or record: packed (rows since migration 2) or text (rows written
/// before it, which are read as they always were).
pub fn stored_text(packed: Option<Vec<u8>>, text: String, what: &str) -> Result<String, LogError> {
    match packed {
        Some(blob) => unpack(&blob, what),
        None => Ok(text),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_bytes_come_back_and_a_damaged_blob_is_an_error() {
        let record = "{\"id\":\"x\",\"findings\":[".to_string()
            + &"{\"rule\":\"r\",\"status\":\"satisfied\",\"message\":{\"zh\":\"满足\"}},"
                .repeat(200)
            + "{}]}";
        let blob = pack(&record);
        assert!(blob.len() * 5 < record.len(), "{} bytes", blob.len());
        assert_eq!(unpack(&blob, "record").unwrap(), record);
        assert_eq!(unpack(&pack(""), "case").unwrap(), "");
        // Truncated, a wrong length, no length, a huge length, and bytes that are not UTF-8.
        assert!(unpack(&blob[..blob.len() / 2], "record").is_err());
        let mut longer = blob.clone();
        longer[..4].copy_from_slice(&((record.len() + 9) as u32).to_le_bytes());
        assert!(unpack(&longer, "record").is_err());
        assert!(unpack(&[1, 0], "record").is_err());
        assert!(unpack(&[255, 255, 255, 255, 0], "record").is_err());
        let not_utf8 = lz4_flex::block::compress_prepend_size(&[0xff, 0xfe]);
        let e = unpack(&not_utf8, "case").unwrap_err();
        assert!(e.0.contains("case") && e.0.contains("UTF-8"), "{e}");
        // Old rows: the text column as it is.
        assert_eq!(
            stored_text(None, "{\"a\":1}".into(), "case").unwrap(),
            "{\"a\":1}"
        );
    }
}
