//! The rules, apart from storage and HTTP: the charge and the payment (what they hold and how
//! the wire shows them), which moves a charge may make and what each tells the screens
//! (`charge`), what a reported payment settles and how (`settlement`), what an event is
//! told as to a webhook (`webhook`), and what a test wallet posts when it pays a QR
//! (`test_wallet`), and which events a Telegram chat is told of (`alert`), what a cart costs (`item`) and what a yuan estimate says (`fx`). Pure and tested without a database; it depends on the wire
//! types and nothing else of the server, and stores persist what it decides.

pub mod alert;
pub mod charge;
pub mod fx;
pub mod item;
pub mod payment;
pub mod settlement;
pub mod test_wallet;
pub mod webhook;
