//! ESC/POS receipts as raster images. No receipt printer shapes Khmer script and few print
//! Chinese as text, so a receipt is drawn elsewhere (the browser's canvas, with its fonts) and
//! sent here as pixels: thresholded to one bit, packed row by row (most significant bit the
//! leftmost dot, 1 black) and cut into `GS v 0` bands of at most 255 rows, between an
//! initialisation, a feed and a cut, with a cash-drawer kick when asked. `decode` reads such a
//! stream back into pixels, so a test can compare what would be printed with what was drawn.
//! `Status` reads the printer's answers to `DLE EOT` (paper out, cover open, offline).
//! Pure and allocation-light: it builds natively and for wasm.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod decode;
mod status;

pub use decode::{DecodeError, Decoded, decode};
pub use status::{Status, StatusQuery};

/// Printer widths in dots: 58 mm paper at 203 dpi, 80 mm at 180 dpi, 80 mm at 203 dpi.
pub const WIDTHS: [u16; 3] = [384, 512, 576];
/// The tallest band sent in one `GS v 0` (manuals disagree above it).
pub const BAND_ROWS: usize = 255;

/// A one-bit image: `width` dots (a multiple of 8) by `height` rows, packed MSB first, 1 black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    width: usize,
    height: usize,
    bits: Vec<u8>,
}

/// What is wrong with pixels handed to `Raster`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RasterError {
    /// the width is 0, not a multiple of 8, or wider than a printer
    Width(usize),
    /// the pixel buffer does not hold `width × height` pixels
    Size {
        /// bytes expected
        expected: usize,
        /// bytes given
        got: usize,
    },
}

impl std::fmt::Display for RasterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Width(w) => write!(f, "width {w}: a multiple of 8 from 8 to 2040 dots"),
            Self::Size { expected, got } => write!(f, "{got} bytes of pixels, {expected} expected"),
        }
    }
}

impl std::error::Error for RasterError {}

impl Raster {
    /// A white image.
    pub fn blank(width: usize, height: usize) -> Result<Self, RasterError> {
        if width == 0 || !width.is_multiple_of(8) || width > 2040 {
            return Err(RasterError::Width(width));
        }
        Ok(Self {
            width,
            height,
            bits: vec![0; width / 8 * height],
        })
    }

    /// From RGBA pixels (a canvas's `getImageData`): a dot is black when its luminance, over a
    /// white background for transparency, is below `threshold` (0–255; 128 suits text and QR).
    pub fn from_rgba(
        width: usize,
        height: usize,
        rgba: &[u8],
        threshold: u8,
    ) -> Result<Self, RasterError> {
        let mut r = Self::blank(width, height)?;
        let expected = width * height * 4;
        if rgba.len() != expected {
            return Err(RasterError::Size {
                expected,
                got: rgba.len(),
            });
        }
        for (i, px) in rgba.chunks_exact(4).enumerate() {
            if luma(px) < u32::from(threshold) {
                r.set(i % width, i / width, true);
            }
        }
        Ok(r)
    }

    /// Width in dots.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Bytes per row.
    pub fn row_bytes(&self) -> usize {
        self.width / 8
    }

    /// The packed rows.
    pub fn bits(&self) -> &[u8] {
        &self.bits
    }

    /// Whether the dot at (x, y) is black (outside the image: white).
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.height
            && self.bits[y * self.row_bytes() + x / 8] & (0x80 >> (x % 8)) != 0
    }

    /// Sets the dot at (x, y); outside the image nothing changes.
    pub fn set(&mut self, x: usize, y: usize, black: bool) {
        if x >= self.width || y >= self.height {
            return;
        }
        let i = y * self.row_bytes() + x / 8;
        let mask = 0x80 >> (x % 8);
        if black {
            self.bits[i] |= mask;
        } else {
            self.bits[i] &= !mask;
        }
    }

    /// Appends `other` below this image (same width).
    pub fn stack(&mut self, other: &Raster) -> Result<(), RasterError> {
        if other.width != self.width {
            return Err(RasterError::Width(other.width));
        }
        self.bits.extend_from_slice(&other.bits);
        self.height += other.height;
        Ok(())
    }
}

/// Luminance (Rec. 601, integer) of an RGBA pixel composed over white.
fn luma(px: &[u8]) -> u32 {
    let a = u32::from(px[3]);
    let over = |c: u8| (u32::from(c) * a + 255 * (255 - a)) / 255;
    (299 * over(px[0]) + 587 * over(px[1]) + 114 * over(px[2])) / 1000
}

/// Which pin the cash drawer hangs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawer {
    /// connector pin 2 (most drawers)
    Pin2,
    /// connector pin 5
    Pin5,
}

/// How a receipt is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// copies, one after the other, each cut (1–5)
    pub copies: u8,
    /// kick the drawer once, before the first copy
    pub drawer: Option<Drawer>,
}

impl Default for Job {
    fn default() -> Self {
        Self {
            copies: 1,
            drawer: None,
        }
    }
}

/// `ESC @`: initialise.
pub const INIT: [u8; 2] = [0x1b, 0x40];
/// `ESC d 4`: feed four lines, so the last printed row clears the cutter.
pub const FEED: [u8; 3] = [0x1b, 0x64, 4];
/// `GS V 1`: partial cut.
pub const CUT: [u8; 3] = [0x1d, 0x56, 1];

/// The bytes that print `raster` as `job` says.
pub fn encode(raster: &Raster, job: Job) -> Vec<u8> {
    let band_bytes = raster.row_bytes() * BAND_ROWS;
    let mut out = Vec::with_capacity(raster.bits.len() * usize::from(job.copies.max(1)) + 64);
    out.extend_from_slice(&INIT);
    if let Some(pin) = job.drawer {
        // ESC p m t1 t2: pulse 50 ms on, 50 ms off
        out.extend_from_slice(&[0x1b, 0x70, u8::from(pin == Drawer::Pin5), 25, 25]);
    }
    for _ in 0..job.copies.clamp(1, 5) {
        for band in raster.bits.chunks(band_bytes.max(1)) {
            let rows = band.len() / raster.row_bytes().max(1);
            let x = raster.row_bytes();
            out.extend_from_slice(&[0x1d, 0x76, 0x30, 0]);
            out.extend_from_slice(&[(x & 0xff) as u8, (x >> 8) as u8]);
            out.extend_from_slice(&[(rows & 0xff) as u8, (rows >> 8) as u8]);
            out.extend_from_slice(band);
        }
        out.extend_from_slice(&FEED);
        out.extend_from_slice(&CUT);
    }
    out
}

#[cfg(test)]
mod tests;
