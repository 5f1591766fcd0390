//! Password hashing off the async runtime, bounded: argon2id takes ~19 MiB and tens of
//! milliseconds per hash, so a flood of sign-ups or sign-ins must queue here, not multiply.
//!
//! A fixed set of named threads does every hash. A semaphore admits as many requests as there are
//! threads; a request that cannot get a place within `WAIT` is refused with 503 and `Retry-After`.
//! Each thread fills one argon2 work area of its own, allocated once and reused: allocating
//! 19 MiB per hash let glibc raise its mmap threshold and keep every freed area in its heaps
//! (+330 MB after 96 sign-ins on two threads, measured), so memory is now threads × 19 MiB, fixed.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::{Semaphore, oneshot};

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
                    let mut area = WorkArea::new();
                    loop {
                        // The lock is held only to take the next job, never while hashing.
                        let job = {
                            let guard = rx.lock().unwrap_or_else(|p| p.into_inner());
                            guard.recv()
                        };
                        let Ok(job) = job else { return };
                        let done = match job.work {
                            Work::Hash(p) => Done::Hashed(area.hash(&p)),
                            Work::Verify { password, phc } => {
                                Done::Verified(area.verify(&password, &phc))
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
        let waiting = std::time::Instant::now();
        let place = tokio::time::timeout(WAIT, self.places.acquire()).await;
        crate::metrics::hash_wait(waiting.elapsed());
        let _place = place
            .map_err(|_| {
                crate::metrics::throttled("password_hashing");
                busy()
            })?
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

/// One thread's argon2 memory, reused for every hash it computes.
struct WorkArea(Vec<Block>);

impl WorkArea {
    fn new() -> Self {
        Self(vec![Block::default(); Params::DEFAULT.block_count()])
    }

    /// `params.block_count()` blocks of the area (grown once if a stored hash needs more).
    fn blocks(&mut self, params: &Params) -> &mut [Block] {
        if self.0.len() < params.block_count() {
            self.0.resize(params.block_count(), Block::default());
        }
        &mut self.0[..params.block_count()]
    }

    fn output(
        &mut self,
        argon: &Argon2<'_>,
        params: &Params,
        password: &str,
        salt: &[u8],
        len: usize,
    ) -> Result<Output, argon2::password_hash::Error> {
        Output::init_with(len, |out| {
            argon
                .hash_password_into_with_memory(password.as_bytes(), salt, out, self.blocks(params))
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
    }

    /// argon2id (default parameters) of a new password, as a PHC string.
    fn hash(&mut self, password: &str) -> anyhow::Result<String> {
        let params = Params::DEFAULT;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt
            .as_salt()
            .decode_b64(&mut salt_bytes)
            .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        let output = self
            .output(
                &argon,
                &params,
                password,
                salt_bytes,
                Params::DEFAULT_OUTPUT_LEN,
            )
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params)
                .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(phc.to_string())
    }

    /// Whether `password` matches the PHC string `phc` (compared in constant time).
    fn verify(&mut self, password: &str, phc: &str) -> bool {
        let Ok(stored) = PasswordHash::new(phc) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
            return false;
        };
        let (Ok(params), Ok(algorithm)) = (
            Params::try_from(&stored),
            Algorithm::try_from(stored.algorithm),
        ) else {
            return false;
        };
        let version = match stored.version.map(Version::try_from) {
            None => Version::V0x13,
            Some(Ok(v)) => v,
            Some(Err(_)) => return false,
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        let argon = Argon2::new(algorithm, version, params.clone());
        self.output(&argon, &params, password, salt_bytes, expected.len())
            .is_ok_and(|computed| computed == expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_standard_phc_strings_that_verify_only_their_password() {
        use argon2::password_hash::PasswordVerifier;
        let mut area = WorkArea::new();
        let phc = area.hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(area.verify("correct horse battery", &phc));
        assert!(!area.verify("wrong horse battery", &phc));
        assert!(!area.verify("x", "not a hash"));
        // The argon2 crate's own verifier agrees, so stored hashes stay portable.
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        // A hash made by the crate's own hasher (e.g. before this change) still verifies.
        let theirs = {
            use argon2::password_hash::PasswordHasher;
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(b"another password", &salt)
                .unwrap()
                .to_string()
        };
        assert!(area.verify("another password", &theirs));
    }

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
