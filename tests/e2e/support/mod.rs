//! Test harness: the real server binary, chromedriver, and a browser session with helpers.

pub mod browser;
pub mod server;
