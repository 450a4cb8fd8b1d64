//! Accounts: citizens (registration, email confirmation, sign-in with lockout, sessions with
//! idle and absolute timeouts, real-name verification against the population register, the
//! "use of my data" page) and staff (the first administrator from the command line with a
//! one-time set-up token; no default accounts).

mod contact;
#[cfg(feature = "ssr")]
pub mod forms;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
mod session_timeout;
#[cfg(feature = "ssr")]
pub mod staff_forms;
mod staff_pages;
mod unlock;
pub mod validate;
mod viewer;

#[cfg(feature = "ssr")]
pub use contact::{change_email, change_phone, confirm_email_change, reauthenticate};
pub use contact::{my_contact, ContactPage, ContactView, MyContact};
pub(crate) use pages::form_problem as form_problem_notice;
pub use session_timeout::{keep_signed_in, KeepSignedIn, SessionKeeper};
pub use unlock::UnlockPage;
#[cfg(feature = "ssr")]
pub use unlock::{request_unlock, unlock};
pub use viewer::{current_viewer, surely_visitor, Viewer};

pub use pages::{
    export_my_data, field_error_text, my_account, my_data_access, my_sessions, AccountBusinessPage, AccountDataPage,
    AccountExport, AccountPage, AccountProfilePage, AccountSecurityPage, AccountView, DataAccessPage, ExportMyData,
    ExportedEvent, LoginPage, MyAccount, MyDataAccess, MySessions, NewPasswordPage, PasswordResetPage, RegisterPage,
    SessionView, VerifyEmailPage,
};
pub use staff_pages::{
    export_staff_security_log, role_label, staff_accounts, staff_enrolment, staff_me, staff_password_change,
    staff_security_log, Enrolment, ExportStaffSecurityLog, PasswordChange, StaffAccessNotice, StaffAccountView,
    StaffAccounts, StaffAccountsPage, StaffEnrolment, StaffEventView, StaffHomePage, StaffLoginPage, StaffMe,
    StaffPasswordChange, StaffPasswordPage, StaffSecurityLog, StaffSecurityLogPage, StaffSetupPage, StaffView,
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

/// Idle timeouts (ASVS 7.3.1, 等保 登录连接超时自动退出): citizens are signed out after 30 minutes
/// without a request, staff after 15 (they see others' data). Here, not with the server code,
/// because the warning before the timeout is shown in the browser.
pub const CITIZEN_IDLE_SECS: i64 = 30 * 60;
pub const STAFF_IDLE_SECS: i64 = 15 * 60;

/// The applications a clerk or supervisor may see and act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseScope {
    Department(String),
    City,
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

crate::page_routes!(AccountRoutes {
    "/register" => RegisterPage,
    "/login" => LoginPage,
    "/login/unlock" => UnlockPage,
    "/account" => AccountPage,
    "/account/profile" => AccountProfilePage,
    "/account/security" => AccountSecurityPage,
    "/account/business" => AccountBusinessPage,
    "/account/data" => AccountDataPage,
    "/account/verify-email" => VerifyEmailPage,
    "/account/data-access" => DataAccessPage,
    "/account/contact" => ContactPage,
    "/password-reset" => PasswordResetPage,
    "/password-reset/new" => NewPasswordPage,
});

crate::page_routes!(StaffAccountRoutes {
    "/staff" => StaffHomePage,
    "/staff/setup" => StaffSetupPage,
    "/staff/login" => StaffLoginPage,
    "/staff/accounts" => StaffAccountsPage,
    "/staff/security-log" => StaffSecurityLogPage,
    "/staff/password" => StaffPasswordPage,
});
