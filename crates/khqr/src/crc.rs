//! CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection), the EMVCo tag 63 check value.
//! Computed over UTF-8 bytes.

/// Slice-by-16 tables from the `crc` crate: the catalogue's CRC-16/IBM-3740 is CCITT-FALSE.
const CCITT_FALSE: crc::Crc<u16, crc::Table<16>> =
    crc::Crc::<u16, crc::Table<16>>::new(&crc::CRC_16_IBM_3740);

/// CRC-16/CCITT-FALSE of `bytes`.
pub fn crc16(bytes: &[u8]) -> u16 {
    CCITT_FALSE.checksum(bytes)
}

/// The four uppercase hex characters EMVCo writes after `6304`.
pub fn crc_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(4);
    push_crc_hex(&mut s, crc16(bytes));
    s
}

/// Appends a CRC as four uppercase hex digits.
pub fn push_crc_hex(out: &mut String, crc: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((crc >> shift) & 0xF)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_check_value() {
        assert_eq!(crc_hex(b"123456789"), "29B1");
        assert_eq!(crc_hex(b""), "FFFF");
    }
}
