//! The `tonle` command line besides `serve`: `qr encode|decode|verify`, `simulate pay` and
//! `admin` (payee account claims, on the database directly).

pub mod admin;
pub mod bot;
pub mod fx;
pub mod limits;
pub mod qr;
pub mod simulate;
