//! Accounts: citizens (registration, email confirmation, sign-in with lockout, sessions with
//! idle and absolute timeouts, real-name verification against the population register, the
//! "use of my data" page) and staff (the first administrator from the command line with a
//! one-time set-up token; no default accounts).

#[cfg(feature = "ssr")]
pub mod forms;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod staff_forms;
mod staff_pages;
pub mod validate;

pub use pages::{
    export_my_data, field_error_text, my_account, my_data_access, my_sessions, AccountExport, AccountPage, AccountView,
    DataAccessPage, ExportMyData, ExportedEvent, LoginPage, MyAccount, MyDataAccess, MySessions, NewPasswordPage,
    PasswordResetPage, RegisterPage, SessionView, VerifyEmailPage,
};
pub use staff_pages::{
    role_label, staff_accounts, staff_enrolment, staff_me, Enrolment, StaffAccessNotice, StaffAccountView,
    StaffAccounts, StaffAccountsPage, StaffEnrolment, StaffHomePage, StaffLoginPage, StaffMe, StaffSetupPage,
    StaffView,
};

use serde::{Deserialize, Serialize};

/// Staff roles, kept apart as 三员分立 requires: system, security and audit administration are
/// separate duties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    WindowClerk,
    Supervisor,
    SystemAdmin,
    SecurityAdmin,
    AuditAdmin,
}

impl StaffRole {
    /// The three administrator duties kept apart (三员分立).
    pub const ADMINS: [StaffRole; 3] = [StaffRole::SystemAdmin, StaffRole::SecurityAdmin, StaffRole::AuditAdmin];
    pub const ALL: [StaffRole; 5] = [
        StaffRole::WindowClerk,
        StaffRole::Supervisor,
        StaffRole::SystemAdmin,
        StaffRole::SecurityAdmin,
        StaffRole::AuditAdmin,
    ];

    pub fn from_code(code: &str) -> Option<StaffRole> {
        StaffRole::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            StaffRole::WindowClerk => "window_clerk",
            StaffRole::Supervisor => "supervisor",
            StaffRole::SystemAdmin => "system_admin",
            StaffRole::SecurityAdmin => "security_admin",
            StaffRole::AuditAdmin => "audit_admin",
        }
    }
}

/// Usernames: 3–32 characters of lower-case ASCII letters, digits, `.`, `_` or `-`, starting
/// with a letter.
pub fn is_valid_username(name: &str) -> bool {
    let len_ok = (3..=32).contains(&name.len());
    let first_ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    len_ok && first_ok && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(is_valid_username("admin"));
        assert!(is_valid_username("li.wei-2"));
        for bad in ["ad", "Admin", "1admin", "admin user", "管理员", &"a".repeat(33)] {
            assert!(!is_valid_username(bad), "{bad}");
        }
    }
}
