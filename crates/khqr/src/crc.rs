//! CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection), the EMVCo tag 63 check value.
//! Computed over UTF-8 bytes.

use crate::prefix;

/// Slice-by-16 tables from the `crc` crate: the catalogue's CRC-16/IBM-3740 is CCITT-FALSE.
const CCITT_FALSE: crc::Crc<u16, crc::Table<16>> =
    crc::Crc::<u16, crc::Table<16>>::new(&crc::CRC_16_IBM_3740);

thread_local! {
    static PREFIX: prefix::Slot<u16> = const { std::cell::RefCell::new(None) };
}

/// CRC-16/CCITT-FALSE of `bytes`. The register after the first 64 bytes is remembered per
/// thread, so codes for the same merchant only run the CRC over what follows.
pub fn crc16(bytes: &[u8]) -> u16 {
    match prefix::after_block(&PREFIX, bytes, |head| CCITT_FALSE.checksum(head)) {
        // No reflection and no final xor: the checksum of the prefix is the register itself.
        Some((register, tail)) => {
            let mut d = CCITT_FALSE.digest_with_initial(register);
            d.update(tail);
            d.finalize()
        }
        None => CCITT_FALSE.checksum(bytes),
    }
}

/// CRC-16/CCITT-FALSE of `bytes` computed from scratch (the reference for [`crc16`]).
pub fn crc16_uncached(bytes: &[u8]) -> u16 {
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

    #[test]
    fn remembered_prefix_gives_the_same_checksum() {
        let a = b"00020101021230440014jonhsmith@devb01061234560208Dev Bank52045999530384054041.255802KH6304";
        let b = b"00020101021230440014jonhsmith@devb01061234560208Dev Bank52045999530311654031005802KH6304";
        for bytes in [
            &a[..],
            &b[..],
            &a[..],
            &a[..63],
            &a[..64],
            &a[..65],
            b"",
            &b[..],
        ] {
            assert_eq!(crc16(bytes), crc16_uncached(bytes), "{bytes:?}");
        }
    }
}
