//! The rules, apart from storage and HTTP: what a reported payment settles and how
//! (`settlement`), and which moves a charge may make and what each tells the screens
//! (`charge`). Pure and tested without a database; stores persist what these decide.

pub mod charge;
pub mod settlement;
