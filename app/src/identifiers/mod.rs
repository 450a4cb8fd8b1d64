//! Chinese identifiers: the resident identity number (公民身份号码, GB 11643-1999) and the
//! unified social credit code (统一社会信用代码, GB 32100-2015).
//!
//! Pure code with no dependencies, compiled into both the server and the browser build, so a
//! form can flag a mistyped number before anything is sent and the server applies the very
//! same rule. Input is normalised first: spaces removed, full-width digits and letters (as typed
//! by Chinese input methods) turned into ASCII, and letters upper-cased (a lower-case `x`).

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// Why an identifier was refused; the code is the field-error code shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentifierError {
    /// Not 18 characters after normalisation.
    Length,
    /// A character that cannot appear at its position.
    Character,
    /// The birth date (resident ID) is not a real date.
    BirthDate,
    /// The check character does not match the other 17.
    Checksum,
}

impl IdentifierError {
    pub fn code(self) -> &'static str {
        match self {
            IdentifierError::Length => "id_length",
            IdentifierError::Character => "id_character",
            IdentifierError::BirthDate => "id_birth_date",
            IdentifierError::Checksum => "id_checksum",
        }
    }
}

/// Removes white space, maps full-width ASCII (U+FF01–U+FF5E) to ASCII and upper-cases.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A resident identity number with a valid structure, birth date and check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResidentId(String);

const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

impl ResidentId {
    pub fn parse(input: &str) -> Result<ResidentId, IdentifierError> {
        let id = normalize(input);
        let chars: Vec<char> = id.chars().collect();
        if chars.len() != 18 {
            return Err(IdentifierError::Length);
        }
        let digits: Vec<u32> =
            chars[..17].iter().map(|c| c.to_digit(10)).collect::<Option<_>>().ok_or(IdentifierError::Character)?;
        if !(chars[17].is_ascii_digit() || chars[17] == 'X') || digits[0] == 0 || digits[0] == 9 {
            return Err(IdentifierError::Character);
        }
        let number = |range: std::ops::Range<usize>| digits[range].iter().fold(0, |n, d| n * 10 + d);
        if !is_real_date(number(6..10), number(10..12), number(12..14)) {
            return Err(IdentifierError::BirthDate);
        }
        let sum: u32 = digits.iter().zip(RESIDENT_WEIGHTS).map(|(d, w)| d * w).sum();
        if RESIDENT_CHECK[(sum % 11) as usize] != chars[17] {
            return Err(IdentifierError::Checksum);
        }
        Ok(ResidentId(id))
    }

    /// Completes 17 digits with their check character (used to issue numbers, e.g. demo data).
    pub fn complete(first17: &str) -> Option<ResidentId> {
        let digits: Vec<u32> = first17.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
        if digits.len() != 17 {
            return None;
        }
        let sum: u32 = digits.iter().zip(RESIDENT_WEIGHTS).map(|(d, w)| d * w).sum();
        ResidentId::parse(&format!("{first17}{}", RESIDENT_CHECK[(sum % 11) as usize])).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit administrative area code of the place of registration at issue.
    pub fn area_code(&self) -> &str {
        &self.0[..6]
    }

    /// Birth date as (year, month, day).
    pub fn birth_date(&self) -> (u32, u32, u32) {
        let part = |r: std::ops::Range<usize>| self.0[r].parse().unwrap_or_default();
        (part(6..10), part(10..12), part(12..14))
    }

    /// The 17th digit is odd for men and even for women.
    pub fn is_male(&self) -> bool {
        !self.0.as_bytes()[16].is_multiple_of(2)
    }

    /// For display: the first 6 and last 4 characters, the 8 between hidden.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1800..=2999).contains(&year) && (1..=days_in_month).contains(&day)
}

/// A unified social credit code with valid characters and check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CreditCode(String);

/// The 31 characters of GB 32100: digits and capitals without I, O, Z, S and V.
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

impl CreditCode {
    pub fn parse(input: &str) -> Result<CreditCode, IdentifierError> {
        let code = normalize(input);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(IdentifierError::Length);
        }
        let values: Vec<u32> = chars
            .iter()
            .map(|c| CREDIT_ALPHABET.find(*c).map(|i| i as u32))
            .collect::<Option<_>>()
            .ok_or(IdentifierError::Character)?;
        // Positions 3–8 are the administrative area code: digits only.
        if !chars[2..8].iter().all(char::is_ascii_digit) {
            return Err(IdentifierError::Character);
        }
        let sum: u32 = values[..17].iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(IdentifierError::Checksum);
        }
        Ok(CreditCode(code))
    }

    /// Completes 17 characters with their check character (used to issue codes, e.g. demo data).
    pub fn complete(first17: &str) -> Option<CreditCode> {
        let values: Vec<u32> =
            first17.chars().map(|c| CREDIT_ALPHABET.find(c).map(|i| i as u32)).collect::<Option<_>>()?;
        if values.len() != 17 {
            return None;
        }
        let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
        let check = CREDIT_ALPHABET.chars().nth(((31 - sum % 31) % 31) as usize)?;
        CreditCode::parse(&format!("{first17}{check}")).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit administrative area code of the registering authority.
    pub fn area_code(&self) -> &str {
        &self.0[2..8]
    }
}

/// For mail to another address: `z***@example.com` (the first character of the local part).
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// For public display: a person's name with only its first character (the family name of most
/// Chinese names) shown, `张*` or `欧**`; a Latin name keeps its first letter the same way.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars().filter(|c| !c.is_whitespace());
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => "*".to_owned(),
    }
}

/// For display: a mainland mobile number as `138****5678`; other lengths keep only the last 4.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.len() == 11 && digits[0] == '1' {
        format!("{}****{}", digits[..3].iter().collect::<String>(), digits[7..].iter().collect::<String>())
    } else {
        let keep = digits.len().min(4);
        format!("{}{}", "*".repeat(digits.len() - keep), digits[digits.len() - keep..].iter().collect::<String>())
    }
}
