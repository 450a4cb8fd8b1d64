//! Passwords: the citizen policy (ASVS 6.2 as resolved in the security reference) and argon2id
//! hashing off the async runtime behind a small semaphore.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

pub const MIN_CHARS: usize = 8;
/// Longer input is refused before hashing, so a huge password cannot tie up a core.
pub const MAX_CHARS: usize = 128;

/// Why a new password is refused (each has a message next to the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// zxcvbn score below 3: guessable within about 10^8 tries (common passwords, patterns).
    Weak,
    /// Contains the person's own name, phone, ID number or birth date.
    Personal,
}

impl PasswordProblem {
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password_too_short",
            PasswordProblem::TooLong => "password_too_long",
            PasswordProblem::Weak => "password_weak",
            PasswordProblem::Personal => "password_personal",
        }
    }
}

/// Checks a citizen's new password. `personal` holds what the person has told us about
/// themselves (name, its pinyin if known, phone, ID number, email); the birth date is taken
/// from the ID number. No composition rules and no case folding.
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    for p in personal.iter().map(|p| p.trim().to_lowercase()).filter(|p| !p.is_empty()) {
        if p.len() == 18 && p.chars().take(17).all(|c| c.is_ascii_digit()) {
            words.push(p[6..14].to_owned()); // birth date YYYYMMDD
            words.push(p[10..14].to_owned()); // MMDD
            words.push(p[14..].to_owned()); // last four
        }
        if let Some((local, _)) = p.split_once('@') {
            words.push(local.to_owned());
        }
        words.push(p);
    }
    if words.iter().any(|w| w.chars().count() >= 4 && lower.contains(w.as_str())) {
        return Err(PasswordProblem::Personal);
    }
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    if (zxcvbn::zxcvbn(password, &inputs).score() as u8) < 3 {
        return Err(PasswordProblem::Weak);
    }
    Ok(())
}

/// Staff passwords: at least 12 characters from at least three of upper case, lower case, digits
/// and other characters, plus the citizen rules. The class rule departs from ASVS 6.2.5 because
/// GB/T 22239 level 3 assessors require complexity for privileged accounts (security reference
/// §1.11).
pub const STAFF_MIN_CHARS: usize = 12;

pub fn check_staff_password(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    if password.chars().count() < STAFF_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    let classes = [
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 3 {
        return Err(PasswordProblem::Weak);
    }
    check_new_password(password, personal)
}

/// OWASP's argon2id option m=19 MiB, t=2, p=1 (the crate's default, pinned here so a crate
/// update cannot weaken it silently).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// At most this many hashes run at once: one core stays free for serving pages.
fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        Semaphore::new(cores.saturating_sub(1).max(1))
    })
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _permit = permits().acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

fn hash_now(password: &[u8]) -> Option<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(password, &salt).ok().map(|h| h.to_string())
}

/// A hash of a random password, verified against when there is no usable hash (unknown, locked,
/// disabled or unfinished account), so every path costs one argon2 computation.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now(b"not a real password: only for equal work").unwrap_or_default())
}

pub struct Verified {
    pub ok: bool,
    /// The stored hash used weaker parameters than today's: store this one instead.
    pub rehash: Option<String>,
}

/// The one place passwords are hashed and checked (carried in `AppContext`). It counts the
/// argon2 computations it runs and the emailed codes it checks, so tests can show that every
/// path of a form costs the same whatever the account's existence or state.
#[derive(Clone, Default)]
pub struct Credentials {
    argon2_runs: Arc<AtomicU64>,
    code_checks: Arc<AtomicU64>,
}

impl Credentials {
    /// A new argon2id hash of `password`.
    pub async fn hash(&self, password: Zeroizing<String>) -> Option<String> {
        let runs = self.argon2_runs.clone();
        blocking(move || {
            runs.fetch_add(1, Ordering::Relaxed);
            hash_now(password.as_bytes())
        })
        .await
        .flatten()
    }

    /// Verifies `password` against `stored`, or, when there is none to check against, against a
    /// dummy hash that never matches: one full argon2 computation either way. `stored` is `None`
    /// for an unknown account and for one that may not sign in now (locked, disabled…).
    pub async fn verify(&self, password: Zeroizing<String>, stored: Option<String>) -> Verified {
        let runs = self.argon2_runs.clone();
        let result = blocking(move || {
            // A stored value that is no hash (an account made at the hall has none yet) is no
            // account to sign in to: checked against the dummy and never a match.
            let stored = stored.filter(|s| PasswordHash::new(s).is_ok());
            let known = stored.is_some();
            let checked = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let parsed = PasswordHash::new(&checked).or_else(|_| PasswordHash::new(dummy_hash()));
            let Ok(parsed) = parsed else { return Verified { ok: false, rehash: None } };
            // Computed before `known` is looked at, so the dummy costs what a real check costs.
            runs.fetch_add(1, Ordering::Relaxed);
            let matches = argon2().verify_password(password.as_bytes(), &parsed).is_ok();
            let ok = matches && known;
            let weaker = Params::try_from(&parsed).map(|p| p.m_cost() < 19_456 || p.t_cost() < 2).unwrap_or(true)
                || parsed.algorithm.as_str() != "argon2id";
            let rehash = (ok && weaker).then(|| hash_now(password.as_bytes())).flatten();
            Verified { ok, rehash }
        })
        .await;
        result.unwrap_or(Verified { ok: false, rehash: None })
    }

    /// Counts one check of an emailed code (see `accounts::server::check_code`).
    pub fn count_code_check(&self) {
        self.code_checks.fetch_add(1, Ordering::Relaxed);
    }

    /// Argon2 computations run so far (hashes and verifications; a rehash after signing in with
    /// an old-parameter hash is not counted).
    pub fn argon2_runs(&self) -> u64 {
        self.argon2_runs.load(Ordering::Relaxed)
    }

    /// Emailed-code checks so far.
    pub fn code_checks(&self) -> u64 {
        self.code_checks.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_common_passwords_and_personal_data_are_refused() {
        assert_eq!(check_new_password("Ab1!xyz", &[]), Err(PasswordProblem::TooShort));
        assert_eq!(check_new_password(&"长".repeat(129), &[]), Err(PasswordProblem::TooLong));
        for common in ["12345678", "qq123456", "1qaz2wsx", "woaini1314", "password1"] {
            assert_eq!(check_new_password(common, &[]), Err(PasswordProblem::Weak), "{common}");
        }
        let personal = ["张伟", "13812345678", "620102198803128172", "zhang.wei@example.cn"];
        assert_eq!(check_new_password("Lanzhou-13812345678", &personal), Err(PasswordProblem::Personal));
        assert_eq!(check_new_password("river-19880312-cloud", &personal), Err(PasswordProblem::Personal), "birth date");
        assert_eq!(check_new_password("Zhang.Wei-cloud-7", &personal), Err(PasswordProblem::Personal), "email name");
        assert_eq!(check_new_password("黄河 铁桥 晚霞 牛肉面 🍜", &personal), Ok(()), "spaces, Chinese, emoji");
        assert_eq!(check_new_password(&"correct horse battery staple ".repeat(2)[..58], &personal), Ok(()));
    }

    #[test]
    fn staff_passwords_need_twelve_characters_and_three_classes() {
        assert_eq!(check_staff_password("Short-1a", &[]), Err(PasswordProblem::TooShort));
        assert_eq!(check_staff_password("all lower case words", &[]), Err(PasswordProblem::Weak));
        assert_eq!(check_staff_password("Audit-admin-2026!", &["audit-admin"]), Err(PasswordProblem::Personal));
        assert_eq!(check_staff_password("Gansu-River-Bridge-42", &["admin"]), Ok(()));
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify_exactly() {
        let credentials = Credentials::default();
        let stored = credentials.hash(Zeroizing::new("黄河 铁桥 晚霞 牛肉面".into())).await.expect("hash");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        let ok = credentials.verify(Zeroizing::new("黄河 铁桥 晚霞 牛肉面".into()), Some(stored.clone())).await;
        assert!(ok.ok && ok.rehash.is_none());
        let wrong_case = credentials.verify(Zeroizing::new("黄河 铁桥 晚霞 牛肉麵".into()), Some(stored)).await;
        assert!(!wrong_case.ok);
        assert!(
            !credentials.verify(Zeroizing::new("anything".into()), None).await.ok,
            "unknown account never verifies"
        );
    }

    #[tokio::test]
    async fn every_verification_costs_one_argon2_run_even_without_a_stored_hash() {
        let credentials = Credentials::default();
        // The dummy's own password must not open an account that has no hash.
        let dummy = credentials.verify(Zeroizing::new("not a real password: only for equal work".into()), None).await;
        assert!(!dummy.ok);
        assert_eq!(credentials.argon2_runs(), 1, "the dummy hash is really checked");
        credentials.verify(Zeroizing::new("anything".into()), Some("not a PHC string".into())).await;
        assert_eq!(credentials.argon2_runs(), 2, "an unreadable stored hash costs the same");
    }

    #[tokio::test]
    async fn an_account_without_a_hash_opens_with_no_password_not_even_the_dummys() {
        let credentials = Credentials::default();
        for stored in ["", "not a PHC string"] {
            let result = credentials
                .verify(Zeroizing::new("not a real password: only for equal work".into()), Some(stored.into()))
                .await;
            assert!(!result.ok, "a stored value {stored:?} is no password");
        }
    }

    #[tokio::test]
    async fn a_weaker_stored_hash_is_upgraded_on_successful_login() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8_192, 1, 1, None).expect("params"));
        let salt = SaltString::generate(&mut OsRng);
        let stored = weak.hash_password(b"old but fine password", &salt).expect("hash").to_string();
        let result = Credentials::default().verify(Zeroizing::new("old but fine password".into()), Some(stored)).await;
        assert!(result.ok);
        assert!(result.rehash.is_some_and(|h| h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")));
    }
}
