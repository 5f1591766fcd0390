//! Password hashing off the async runtime, bounded: argon2id takes ~19 MiB and tens of
//! milliseconds per hash, so a flood of sign-ups or sign-ins must queue here, not multiply.
//!
//! A fixed set of named threads does every hash. A semaphore admits as many requests as there are
//! threads; a request that cannot get a place within `WAIT` is refused with 503 and `Retry-After`.
//! Fixed threads matter for memory too: the allocator keeps a freed 19 MiB block in the arena of
//! the thread that used it, so hashing on an unbounded blocking pool left the server holding
//! ~19 MiB per thread it had ever used (1.9 GB after one flood).

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};

use crate::auth;
use crate::error::ApiError;

/// How long a request waits for a hashing thread before it is told to come back.
pub const WAIT: Duration = Duration::from_secs(2);

enum Work {
    Hash(String),
    Verify { password: String, phc: String },
}

enum Done {
    Hashed(anyhow::Result<String>),
    Verified(bool),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<Done>,
}

/// The hashing pool. Cloning shares it.
#[derive(Clone)]
pub struct Hasher {
    places: Arc<Semaphore>,
    jobs: mpsc::SyncSender<Job>,
}

impl Hasher {
    /// Starts `threads` hashing threads (at least one).
    pub fn start(threads: usize) -> anyhow::Result<Self> {
        let threads = threads.max(1);
        let (jobs, rx) = mpsc::sync_channel::<Job>(threads);
        let rx = Arc::new(std::sync::Mutex::new(rx));
        for n in 0..threads {
            let rx = Arc::clone(&rx);
            std::thread::Builder::new()
                .name(format!("tonle-hash-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only to take the next job, never while hashing.
                        let job = {
                            let guard = rx.lock().unwrap_or_else(|p| p.into_inner());
                            guard.recv()
                        };
                        let Ok(job) = job else { return };
                        let done = match job.work {
                            Work::Hash(p) => Done::Hashed(auth::hash_password(&p)),
                            Work::Verify { password, phc } => {
                                Done::Verified(auth::verify_password(&password, &phc))
                            }
                        };
                        let _ = job.reply.send(done);
                    }
                })?;
        }
        Ok(Self {
            places: Arc::new(Semaphore::new(threads)),
            jobs,
        })
    }

    /// One thread per core: hashing is CPU-bound, more threads only add memory.
    pub fn per_core() -> anyhow::Result<Self> {
        Self::start(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    async fn run(&self, work: Work) -> Result<Done, ApiError> {
        let busy = || ApiError::Busy {
            message: "the server is busy checking passwords; try again in a moment".into(),
            retry_after_secs: 1,
        };
        let _place = tokio::time::timeout(WAIT, self.places.acquire())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        let (reply, done) = oneshot::channel();
        // Places and queue slots are equal in number, so with a place held there is a slot.
        self.jobs
            .try_send(Job { work, reply })
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("hashing queue full or stopped")))?;
        done.await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("a hashing thread stopped")))
    }

    /// argon2id hash of a new password.
    pub async fn hash(&self, password: &str) -> Result<String, ApiError> {
        match self.run(Work::Hash(password.to_owned())).await? {
            Done::Hashed(h) => h.map_err(ApiError::Internal),
            Done::Verified(_) => Err(ApiError::Internal(anyhow::anyhow!("hash answered verify"))),
        }
    }

    /// Checks a password against a stored hash; with no hash, spends the same time and says no,
    /// so an unknown email cannot be told from a wrong password by timing.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> Result<bool, ApiError> {
        let work = match phc {
            Some(phc) => Work::Verify {
                password: password.to_owned(),
                phc: phc.to_owned(),
            },
            None => Work::Hash(password.to_owned()),
        };
        match self.run(work).await? {
            Done::Verified(ok) => Ok(ok && phc.is_some()),
            Done::Hashed(_) => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_a_full_pool_refuses_with_retry_after() {
        let h = Hasher::start(1).unwrap();
        let phc = h.hash("correct horse battery").await.unwrap();
        assert!(h.verify("correct horse battery", Some(&phc)).await.unwrap());
        assert!(!h.verify("wrong horse battery", Some(&phc)).await.unwrap());
        assert!(!h.verify("correct horse battery", None).await.unwrap());

        // Hold the only place longer than WAIT: the next request is refused, not queued forever.
        let _held = h.places.clone().acquire_owned().await.unwrap();
        let refused = h.hash("another password").await.unwrap_err();
        assert!(
            matches!(
                refused,
                ApiError::Busy {
                    retry_after_secs: 1,
                    ..
                }
            ),
            "{refused:?}"
        );
    }
}
