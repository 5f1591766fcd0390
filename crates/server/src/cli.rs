//! The `tonle` command line besides `serve`: `qr encode|decode|verify` and `simulate pay`.

pub mod qr;
pub mod simulate;
