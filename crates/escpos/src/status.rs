//! The printer's real-time status: `DLE EOT n` asks, one byte answers (always of the form
//! `0xx1xx10`). Paper out and cover open are what a counter needs to see.

/// What `DLE EOT` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusQuery {
    /// n = 1: the printer (bit 3: offline)
    Printer,
    /// n = 2: why offline (bit 2: cover open, bit 5: stopped at paper end)
    Offline,
    /// n = 4: the roll sensor (bits 5–6: paper end)
    Paper,
}

impl StatusQuery {
    /// The bytes that ask.
    pub fn bytes(self) -> [u8; 3] {
        let n = match self {
            Self::Printer => 1,
            Self::Offline => 2,
            Self::Paper => 4,
        };
        [0x10, 0x04, n]
    }
}

/// What the printer said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    /// it does not print (cover, paper, error)
    pub offline: bool,
    /// the cover is open
    pub cover_open: bool,
    /// no paper
    pub paper_out: bool,
}

impl Status {
    /// Reads the answer to `query` into this status; `None` when the byte is no status byte.
    pub fn read(mut self, query: StatusQuery, byte: u8) -> Option<Self> {
        if byte & 0b1001_0011 != 0b0001_0010 {
            return None;
        }
        match query {
            StatusQuery::Printer => self.offline = byte & 0b0000_1000 != 0,
            StatusQuery::Offline => {
                self.cover_open = byte & 0b0000_0100 != 0;
                self.paper_out |= byte & 0b0010_0000 != 0;
            }
            StatusQuery::Paper => self.paper_out |= byte & 0b0110_0000 != 0,
        }
        Some(self)
    }

    /// Ready to print.
    pub fn ready(self) -> bool {
        !self.offline && !self.cover_open && !self.paper_out
    }
}
