//! tonle's QR codec: the EMVCo merchant-presented TLV layer, the KHQR profile and UnionPay codes.
//! Pure and clock-free (callers pass `now`), so it runs natively and in the browser alike.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod amount_text;
pub mod crc;
mod error;
pub mod khqr;
mod money;
mod prefix;
mod scheme;
pub mod tlv;
pub mod unionpay;

pub use error::{ErrorCode, KhqrError, TlvError};
pub use khqr::{AccountKind, Decoded, Encoded, KhqrFields, KhqrInput, decode_any};
pub use money::{AmountError, Currency, MinorUnits, Money};
pub use scheme::Scheme;
