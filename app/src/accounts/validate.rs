//! Field rules for account forms. Each returns a stable code that the page turns into a message
//! in the reader's language.

/// A person's name as on the ID card: 1–30 characters, no digits or angle brackets.
pub fn name(name: &str) -> Result<(), &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("required");
    }
    let ok = name.chars().count() <= 30 && !name.chars().any(|c| c.is_ascii_digit() || "<>\"'&;".contains(c));
    if ok {
        Ok(())
    } else {
        Err("name_invalid")
    }
}

/// A plausible email address: one `@`, something on each side, a dot in the domain, no spaces.
pub fn email(email: &str) -> Result<(), &'static str> {
    if email.is_empty() {
        return Err("required");
    }
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && email.len() <= 254
                && !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c))
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err("email_invalid")
    }
}

/// An optional mainland mobile number: 11 digits starting with 1, spaces and dashes ignored.
pub fn phone(phone: &str) -> Result<Option<String>, &'static str> {
    let digits: String = crate::identifiers::normalize(phone).chars().filter(|c| *c != '-').collect();
    if digits.is_empty() {
        return Ok(None);
    }
    let ok = digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(Some(digits))
    } else {
        Err("phone_invalid")
    }
}

/// What people type to sign in: an email (case-insensitive) or a phone number.
pub fn login_identifier(input: &str) -> String {
    let trimmed = input.trim();
    match phone(trimmed) {
        Ok(Some(p)) => p,
        _ => trimmed.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_emails_and_phones() {
        assert_eq!(name("张伟"), Ok(()));
        assert_eq!(name("阿卜杜·热合曼"), Ok(()));
        assert_eq!(name(" "), Err("required"));
        assert_eq!(name("张伟1"), Err("name_invalid"));
        assert_eq!(name(&"长".repeat(31)), Err("name_invalid"));
        assert_eq!(email("zhang.wei@example.cn"), Ok(()));
        for bad in ["zhang", "zhang@", "@example.cn", "zhang@example", "zh ang@example.cn", "a@b@c.cn"] {
            assert_eq!(email(bad), Err("email_invalid"), "{bad}");
        }
        assert_eq!(phone("138 1234-5678"), Ok(Some("13812345678".into())));
        assert_eq!(phone("１３８１２３４５６７８"), Ok(Some("13812345678".into())), "full-width digits");
        assert_eq!(phone(""), Ok(None));
        assert_eq!(phone("0931-1234567"), Err("phone_invalid"));
        assert_eq!(login_identifier(" Zhang.Wei@Example.CN "), "zhang.wei@example.cn");
        assert_eq!(login_identifier("138 1234 5678"), "13812345678");
    }
}
