//! The EMVCo merchant-presented TLV layer: `ID(2) LEN(2) VALUE`, lengths counted in characters.
//! Parses a payload into a tree (templates recognised by id), keeps unknown ids, writes it back byte-identically.

use crate::crc;
use crate::error::TlvError;

/// One data object: a two-digit id and either a primitive value or nested objects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tlv {
    /// two-digit id, e.g. `"59"`
    pub id: String,
    /// the value
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub value: TlvValue,
}

/// A primitive value or a template of nested data objects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TlvValue {
    /// a primitive value
    Value(String),
    /// nested data objects
    Children(Vec<Tlv>),
}

impl Tlv {
    /// A primitive data object.
    pub fn primitive(id: &str, value: impl Into<String>) -> Self {
        Self {
            id: id.to_owned(),
            value: TlvValue::Value(value.into()),
        }
    }

    /// A template data object.
    pub fn template(id: &str, children: Vec<Tlv>) -> Self {
        Self {
            id: id.to_owned(),
            value: TlvValue::Children(children),
        }
    }

    /// The primitive value, if this object is one.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            TlvValue::Value(v) => Some(v),
            TlvValue::Children(_) => None,
        }
    }

    /// The nested objects, if this object is a template.
    pub fn children(&self) -> Option<&[Tlv]> {
        match &self.value {
            TlvValue::Value(_) => None,
            TlvValue::Children(c) => Some(c),
        }
    }

    /// The first child with `id`, if this is a template that has one.
    pub fn child(&self, id: &str) -> Option<&Tlv> {
        self.children().and_then(|c| c.iter().find(|t| t.id == id))
    }

    /// The text of the first child with `id`.
    pub fn child_text(&self, id: &str) -> Option<&str> {
        self.child(id).and_then(Tlv::text)
    }
}

/// Where in the tree a run of objects sits; decides which ids are templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Root,
    AdditionalData,
    Leaf,
}

fn template_level(parent: Level, id: u8) -> Option<Level> {
    match parent {
        Level::Root => match id {
            26..=51 | 64 | 80..=99 => Some(Level::Leaf),
            62 => Some(Level::AdditionalData),
            _ => None,
        },
        Level::AdditionalData => (50..=99).contains(&id).then_some(Level::Leaf),
        Level::Leaf => None,
    }
}

/// One raw `(id, value)` step over a run of data objects; `at` is the character offset of `value`.
struct Raw<'a> {
    id: &'a str,
    value: &'a str,
    /// length of `value` in characters
    chars: usize,
}

/// Splits a run of data objects without interpreting templates. `base` is the char offset for errors.
fn split(run: &str, base: usize) -> Result<Vec<Raw<'_>>, TlvError> {
    let mut out = Vec::with_capacity(16);
    let mut rest = run;
    let mut at = base;
    while !rest.is_empty() {
        let head = rest.get(..4).ok_or(TlvError::Truncated { at })?;
        if !head.is_ascii() {
            // An id and a length are four ASCII digits; anything else (even a multi-byte
            // character that happens to end on byte 4) is not a data object.
            let id: String = rest.chars().take(2).collect();
            return Err(TlvError::BadId { id, at });
        }
        let (id, len) = head.split_at(2);
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TlvError::BadId {
                id: id.to_owned(),
                at,
            });
        }
        let bad_len = || TlvError::BadLength {
            tag: id.to_owned(),
            len: len.to_owned(),
            at,
        };
        if !len.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad_len());
        }
        let n: usize = len.parse().map_err(|_| bad_len())?;
        if n == 0 {
            return Err(bad_len());
        }
        let body = &rest[4..];
        // `n` characters, not bytes. Almost every value is ASCII, where they are the same; else
        // walk char boundaries.
        let end = match body.as_bytes().get(..n) {
            Some(b) if b.is_ascii() => n,
            _ => match body.char_indices().nth(n) {
                Some((i, _)) => i,
                None if body.chars().count() == n => body.len(),
                None => return Err(bad_len()),
            },
        };
        out.push(Raw {
            id,
            value: &body[..end],
            chars: n,
        });
        rest = &body[end..];
        at += 4 + n;
    }
    Ok(out)
}

fn parse_level(run: &str, level: Level, base: usize) -> Result<Vec<Tlv>, TlvError> {
    let raws = split(run, base)?;
    let mut out = Vec::with_capacity(raws.len());
    let mut at = base;
    for raw in raws {
        let id_num: u8 = raw.id.parse().unwrap_or(0);
        let n = raw.chars;
        let value = match template_level(level, id_num) {
            // A template whose content is not TLV (seen in the wild in 99) stays a primitive: we keep it.
            Some(child) => match parse_level(raw.value, child, at + 4) {
                Ok(children) => TlvValue::Children(children),
                Err(_) => TlvValue::Value(raw.value.to_owned()),
            },
            None => TlvValue::Value(raw.value.to_owned()),
        };
        out.push(Tlv {
            id: raw.id.to_owned(),
            value,
        });
        at += 4 + n;
    }
    Ok(out)
}

/// Parses a whole payload into its root objects. Checks structure and placement of 00 and 63, not the CRC.
pub fn parse(payload: &str) -> Result<Vec<Tlv>, TlvError> {
    let root = parse_level(payload, Level::Root, 0)?;
    match root.first() {
        Some(t) if t.id == "00" => {}
        _ => return Err(TlvError::FormatIndicatorNotFirst),
    }
    match root.last() {
        Some(t) if t.id == "63" && t.text().is_some_and(is_crc_text) => {}
        _ => return Err(TlvError::CrcNotLast),
    }
    if root.iter().filter(|t| t.id == "63").count() != 1 {
        return Err(TlvError::CrcNotLast);
    }
    Ok(root)
}

fn is_crc_text(v: &str) -> bool {
    v.len() == 4 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Parses root objects without checking where 00 and 63 stand (the SDK's `verify` does not either).
pub fn parse_lenient(payload: &str) -> Result<Vec<Tlv>, TlvError> {
    parse_level(payload, Level::Root, 0)
}

/// Checks the CRC of a payload ending in `6304XXXX` (either case).
pub fn check_crc(payload: &str) -> Result<(), TlvError> {
    let split_at = payload.len().checked_sub(4).ok_or(TlvError::CrcNotLast)?;
    let (body, found) = (payload.get(..split_at), payload.get(split_at..));
    let (Some(body), Some(found)) = (body, found) else {
        return Err(TlvError::CrcNotLast);
    };
    if !body.ends_with("6304") || !is_crc_text(found) {
        return Err(TlvError::CrcNotLast);
    }
    let expected = crc::crc_hex(body.as_bytes());
    if expected.eq_ignore_ascii_case(found) {
        Ok(())
    } else {
        Err(TlvError::CrcMismatch {
            expected,
            found: found.to_owned(),
        })
    }
}

/// Appends one object to `out`, refusing values over 99 characters.
pub(crate) fn write_one(out: &mut String, id: &str, value: &str) -> Result<(), TlvError> {
    let n = if value.is_ascii() {
        value.len()
    } else {
        value.chars().count()
    };
    if n > 99 {
        return Err(TlvError::ValueTooLong {
            tag: id.to_owned(),
            len: n,
        });
    }
    out.push_str(id);
    push_len(out, n);
    out.push_str(value);
    Ok(())
}

/// Appends a two-digit length (n <= 99 here).
pub(crate) fn push_len(out: &mut String, n: usize) {
    const PAIRS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
    let i = (n % 100) * 2;
    out.push_str(&PAIRS[i..i + 2]);
}

/// Serializes objects (recursively) without a CRC.
pub fn write(objects: &[Tlv]) -> Result<String, TlvError> {
    let mut out = String::with_capacity(256);
    write_into(&mut out, objects)?;
    Ok(out)
}

fn write_into(out: &mut String, objects: &[Tlv]) -> Result<(), TlvError> {
    for t in objects {
        match &t.value {
            TlvValue::Value(v) => write_one(out, &t.id, v)?,
            TlvValue::Children(c) => {
                let mut inner = String::new();
                write_into(&mut inner, c)?;
                write_one(out, &t.id, &inner)?;
            }
        }
    }
    Ok(())
}

/// Serializes root objects, replacing any tag 63 by a freshly computed uppercase CRC at the end.
pub fn write_with_crc(objects: &[Tlv]) -> Result<String, TlvError> {
    let mut out = String::with_capacity(256);
    let body: Vec<Tlv> = objects.iter().filter(|t| t.id != "63").cloned().collect();
    write_into(&mut out, &body)?;
    finish_with_crc(&mut out);
    Ok(out)
}

/// Appends `6304` and the CRC over everything so far.
pub(crate) fn finish_with_crc(out: &mut String) {
    out.push_str("6304");
    let c = crc::crc16(out.as_bytes());
    crc::push_crc_hex(out, c);
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: &str = "00020101021129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6009Siam Reap64280002km0108ចន ស្មីន0206សៀមរាប6304A8B1";

    #[test]
    fn khmer_lengths_are_characters_and_round_trip() {
        let tree = parse(V2).unwrap();
        let lang = tree.iter().find(|t| t.id == "64").unwrap();
        assert_eq!(lang.child_text("01"), Some("ចន ស្មីន"));
        assert_eq!(write(&tree).unwrap(), V2);
        check_crc(V2).unwrap();
    }

    #[test]
    fn lowercase_crc_is_accepted_on_read() {
        let lower = V2.replace("A8B1", "a8b1");
        check_crc(&lower).unwrap();
    }

    #[test]
    fn refuses_values_over_99_characters() {
        let err = write(&[Tlv::primitive("62", "x".repeat(100))]).unwrap_err();
        assert!(matches!(err, TlvError::ValueTooLong { len: 100, .. }));
    }

    #[test]
    fn broken_lengths_are_errors_not_loops() {
        for bad in [
            "0002", "00020", "0099abc", "0x0201", "00AA01", "ប6", "0ប0101", "00ប",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
