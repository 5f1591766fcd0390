//! Reads an ESC/POS stream of the commands `encode` writes back into what a printer would do:
//! the raster of each copy (its bands stacked), the cuts, the feeds and the drawer kicks. Any
//! other command is refused by its offset, so a test sees exactly what was sent.

use crate::Raster;

/// What a stream prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    /// one image per cut-off piece of paper
    pub pages: Vec<Raster>,
    /// drawer kicks, by pin (0: pin 2, 1: pin 5)
    pub drawer_kicks: Vec<u8>,
    /// lines fed before each cut
    pub feeds: Vec<u8>,
    /// initialisations
    pub inits: usize,
}

/// A stream `decode` cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// where the unreadable command starts
    pub offset: usize,
    /// what is wrong
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut out = Decoded::default();
    let mut page: Option<Raster> = None;
    let mut i = 0;
    let err = |offset: usize, message: &str| DecodeError {
        offset,
        message: message.to_owned(),
    };
    let take = |i: usize, n: usize| {
        bytes
            .get(i..i + n)
            .ok_or_else(|| err(i, "the stream ends inside a command"))
    };
    while i < bytes.len() {
        match take(i, 2)? {
            [0x1b, 0x40] => {
                out.inits += 1;
                i += 2;
            }
            [0x1b, 0x70] => {
                let p = take(i, 5)?;
                out.drawer_kicks.push(p[2]);
                i += 5;
            }
            [0x1b, 0x64] => {
                out.feeds.push(take(i, 3)?[2]);
                i += 3;
            }
            [0x1d, 0x56] => {
                take(i, 3)?;
                out.pages.push(
                    page.take()
                        .ok_or_else(|| err(i, "a cut with nothing printed"))?,
                );
                i += 3;
            }
            [0x1d, 0x76] => {
                let h = take(i, 8)?;
                if h[2] != 0x30 || h[3] != 0 {
                    return Err(err(i, "GS v 0 in another mode than normal"));
                }
                let x = usize::from(h[4]) | usize::from(h[5]) << 8;
                let y = usize::from(h[6]) | usize::from(h[7]) << 8;
                let data = take(i + 8, x * y)?;
                let mut band = Raster::blank(x * 8, y).map_err(|e| err(i, &e.to_string()))?;
                for (row, chunk) in data.chunks(x.max(1)).enumerate() {
                    for (b, byte) in chunk.iter().enumerate() {
                        for bit in 0..8 {
                            if byte & (0x80 >> bit) != 0 {
                                band.set(b * 8 + bit, row, true);
                            }
                        }
                    }
                }
                match page.as_mut() {
                    Some(p) => p.stack(&band).map_err(|e| err(i, &e.to_string()))?,
                    None => page = Some(band),
                }
                i += 8 + x * y;
            }
            _ => return Err(err(i, "a command this decoder does not know")),
        }
    }
    if page.is_some() {
        return Err(err(bytes.len(), "printed rows were never cut off"));
    }
    Ok(out)
}
