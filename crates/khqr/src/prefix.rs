//! Codes made for one merchant begin with the same 64 bytes: the header, the account template
//! and usually the category code. That is exactly one md5 block, so the md5 state and the CRC
//! register after it are remembered per thread and the next code for the same merchant only
//! hashes the bytes that differ (amount, bill number, timestamps). The memo is keyed by the
//! block's bytes themselves: any other prefix is simply computed afresh, so a result never
//! depends on what was hashed before.

use std::cell::RefCell;
use std::thread::LocalKey;

/// The length of the remembered prefix: one md5 block.
pub(crate) const BLOCK: usize = 64;

/// The state a hash reached after one particular 64-byte prefix.
pub(crate) struct Memo<S> {
    block: [u8; BLOCK],
    state: S,
}

/// One thread's memo for one kind of hash.
pub(crate) type Slot<S> = RefCell<Option<Memo<S>>>;

/// Splits `bytes` after the first block and returns the state after that block, from the memo
/// when it holds the same block and from `absorb` otherwise (which then replaces the memo).
/// `None` when `bytes` is shorter than a block or the thread is being torn down.
pub(crate) fn after_block<'b, S: Clone>(
    slot: &'static LocalKey<Slot<S>>,
    bytes: &'b [u8],
    absorb: impl FnOnce(&[u8; BLOCK]) -> S,
) -> Option<(S, &'b [u8])> {
    let (head, tail) = bytes.split_first_chunk::<BLOCK>()?;
    slot.try_with(|cell| {
        let mut memo = cell.try_borrow_mut().ok()?;
        match memo.as_ref() {
            Some(m) if m.block == *head => Some(m.state.clone()),
            _ => {
                let state = absorb(head);
                *memo = Some(Memo {
                    block: *head,
                    state: state.clone(),
                });
                Some(state)
            }
        }
    })
    .ok()
    .flatten()
    .map(|s| (s, tail))
}
