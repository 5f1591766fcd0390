//! Identifiers, each its own type so one cannot be passed where another is meant (a charge id
//! where a merchant id goes). On the wire each is the plain string it wraps.

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a stored or generated id (no check: ids are made by the server).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

string_id!(
    /// A merchant (`m_…`).
    MerchantId
);
string_id!(
    /// A charge (`ch_…`).
    ChargeId
);
string_id!(
    /// A payment (`pay_…`).
    PaymentId
);
string_id!(
    /// A counter (terminal) of a merchant's store.
    TerminalId
);
string_id!(
    /// A charge's bill number, `PREFIX-000042`: unique across merchants, printed in the QR
    /// (tag 62-01) and on receipts.
    BillNumber
);

/// A position in a merchant's event log: 1, 2, 3, … without gaps.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Seq(pub u64);

impl Seq {
    /// The next position.
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_strings_on_the_wire_and_compare_with_text() {
        let id = ChargeId::new("ch_1");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"ch_1\"");
        let back: ChargeId = serde_json::from_str("\"ch_1\"").unwrap();
        assert_eq!(back, id);
        assert!(id == "ch_1");
        assert_eq!(id.len(), 4, "derefs to str");
        assert_eq!(serde_json::to_string(&Seq(7)).unwrap(), "7");
        assert_eq!(Seq(7).next(), Seq(8));
    }
}
