use super::*;

// Published examples: the resident ID in GB 11643's appendix style and the credit code used
// in GB 32100's explanatory material. Their check characters are what the standards specify.
const VALID_IDS: [&str; 2] = ["11010519491231002X", "440524188001010014"];
const VALID_CREDIT_CODE: &str = "91350100M000100Y43";

/// Changes the check character to every other allowed value.
fn with_other_check_chars(valid: &str, alphabet: &str) -> Vec<String> {
    let (body, check) = valid.split_at(17);
    alphabet.chars().filter(|c| c.to_string() != check).map(|c| format!("{body}{c}")).collect()
}

#[test]
fn valid_resident_ids_parse() {
    for id in VALID_IDS {
        assert_eq!(ResidentId::parse(id).map(|p| p.as_str().to_owned()), Ok(id.to_owned()));
    }
}

#[test]
fn every_wrong_check_digit_is_refused() {
    for id in VALID_IDS {
        for wrong in with_other_check_chars(id, "0123456789X") {
            assert_eq!(ResidentId::parse(&wrong), Err(IdentifierError::Checksum), "{wrong}");
        }
    }
}

#[test]
fn a_single_changed_digit_is_caught() {
    let id = VALID_IDS[1];
    for position in 0..17 {
        let mut chars: Vec<char> = id.chars().collect();
        chars[position] = if chars[position] == '5' { '6' } else { '5' };
        let changed: String = chars.into_iter().collect();
        assert!(ResidentId::parse(&changed).is_err(), "{changed}");
    }
}

#[test]
fn lower_case_x_full_width_digits_and_spaces_are_accepted() {
    assert_eq!(ResidentId::parse("11010519491231002x").map(|i| i.as_str().to_owned()), Ok("11010519491231002X".into()));
    assert!(ResidentId::parse("１１０１０５１９４９１２３１００２Ｘ").is_ok(), "full-width digits and X");
    assert!(ResidentId::parse("１１０１０５１９４９１２３１００２ｘ").is_ok(), "full-width lower-case x");
    assert!(ResidentId::parse(" 110105 19491231 002X ").is_ok(), "spaces as people group the digits");
}

#[test]
fn wrong_length_characters_and_dates_have_their_own_errors() {
    assert_eq!(ResidentId::parse("11010519491231002"), Err(IdentifierError::Length));
    assert_eq!(ResidentId::parse(""), Err(IdentifierError::Length));
    assert_eq!(ResidentId::parse("1101051949123100AX"), Err(IdentifierError::Character));
    assert_eq!(ResidentId::parse("01010519491231002X"), Err(IdentifierError::Character));
    // 1949-02-30 does not exist; 2000-02-29 does, 1900-02-29 does not.
    assert_eq!(ResidentId::parse("110105194902300020"), Err(IdentifierError::BirthDate));
    assert_ne!(ResidentId::parse("110105200002290020"), Err(IdentifierError::BirthDate));
    assert_eq!(ResidentId::parse("110105190002290020"), Err(IdentifierError::BirthDate));
}

#[test]
fn resident_id_fields_and_masking() {
    let id = ResidentId::parse("11010519491231002X").expect("valid");
    assert_eq!(id.area_code(), "110105");
    assert_eq!(id.birth_date(), (1949, 12, 31));
    assert!(!id.is_male(), "17th digit 2 is even: female");
    assert!(ResidentId::parse("440524188001010014").expect("valid").is_male());
    assert_eq!(id.masked(), "110105********002X");
}

#[test]
fn credit_codes_parse_and_catch_every_wrong_check_character() {
    let code = CreditCode::parse(VALID_CREDIT_CODE).expect("valid");
    assert_eq!(code.area_code(), "350100");
    assert!(CreditCode::parse("91350100m000100y43").is_ok(), "lower case");
    assert!(CreditCode::parse("９１３５０１００Ｍ０００１００Ｙ４３").is_ok(), "full width");
    for wrong in with_other_check_chars(VALID_CREDIT_CODE, CREDIT_ALPHABET) {
        assert_eq!(CreditCode::parse(&wrong), Err(IdentifierError::Checksum), "{wrong}");
    }
}

#[test]
fn credit_codes_refuse_letters_outside_the_alphabet_and_bad_lengths() {
    for letter in ['I', 'O', 'Z', 'S', 'V'] {
        let code = format!("9135010{letter}M000100Y43");
        assert_eq!(CreditCode::parse(&code), Err(IdentifierError::Character), "{code}");
    }
    assert_eq!(CreditCode::parse("91AB0100M000100Y43"), Err(IdentifierError::Character), "area code must be digits");
    assert_eq!(CreditCode::parse("91350100M000100Y4"), Err(IdentifierError::Length));
}

#[test]
fn phones_are_masked_for_display() {
    assert_eq!(mask_phone("13812345678"), "138****5678");
    assert_eq!(mask_phone("138 1234 5678"), "138****5678");
    assert_eq!(mask_phone("0931-8123456"), "*******3456");
    assert_eq!(mask_phone("12"), "12");
}

#[test]
fn completing_a_body_gives_the_published_check_character() {
    for id in VALID_IDS {
        assert_eq!(ResidentId::complete(&id[..17]).map(|r| r.as_str().to_owned()), Some(id.to_owned()));
    }
    assert_eq!(
        CreditCode::complete(&VALID_CREDIT_CODE[..17]).map(|c| c.as_str().to_owned()),
        Some(VALID_CREDIT_CODE.to_owned())
    );
    assert!(ResidentId::complete("1101051949123100").is_none(), "16 digits");
    assert!(ResidentId::complete("11010519490231002").is_none(), "impossible date");
    assert!(CreditCode::complete("91350100M000100YI").is_none(), "letter outside the alphabet");
}

#[test]
fn names_show_only_their_first_character() {
    assert_eq!(mask_name("张三"), "张*");
    assert_eq!(mask_name("欧阳娜娜"), "欧***");
    assert_eq!(mask_name(" 李 "), "李*", "a one-character name still hides that there is nothing more");
    assert_eq!(mask_name("Wang Wei"), "W******");
    assert_eq!(mask_name(""), "*");
}
