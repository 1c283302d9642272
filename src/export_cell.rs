//! One text cell of a CSV export, made safe to open in a spreadsheet (CSV or formula
//! injection) and quoted per RFC 4180.
//!
//! The rule follows OWASP's "CSV Injection" page (owasp.org/www-community/attacks/CSV_Injection):
//! no cell may *begin* with `=`, `+`, `-`, `@`, tab, carriage return or line feed, the field
//! separator and quotes must be taken care of so that a dangerous character cannot start a new
//! cell in the middle of a value, and the remedy is a leading `'` inside a double-quoted field
//! whose quotes are doubled. Spreadsheets are more lenient than that list, so the rule here is
//! wider in four ways and narrower in one:
//!
//! 1. **What "begins" means.** Leading characters a reader does not see are skipped before the
//!    first character is judged: Unicode white space (space, no-break space, ideographic space,
//!    …, and tab, CR, LF), the zero-width space U+200B, zero-width non-joiner and joiner
//!    U+200C/U+200D, word joiner U+2060, the byte order mark U+FEFF, soft hyphen U+00AD and the
//!    Mongolian vowel separator U+180E. So `"\u{200B}=1+1"` and `"\u{FEFF}=1+1"` are
//!    neutralised. A cell whose very first character is tab, CR or LF is neutralised whatever
//!    follows (OWASP's list).
//! 2. **Which characters trigger.** `=`, `+`, `-`, `@`, and `|` (dynamic data exchange,
//!    `cmd|' /C calc'!A0`), plus their full-width forms `＝` `＋` `－` `＠` `｜` (U+FF1D, U+FF0B,
//!    U+FF0D, U+FF20, U+FF5C), small forms `﹦` `﹢` `﹣` `﹫` (U+FE66, U+FE62, U+FE63, U+FE6B)
//!    and the minus sign `−` U+2212, which spreadsheets in East Asian locales or with
//!    auto-correction may read as their ASCII forms.
//! 3. **`|` anywhere.** A cell containing `|` (or `｜`) is neutralised wherever the pipe is:
//!    the pipe is what makes a formula run a program, and some readers split fields on it.
//! 4. **Separators inside the cell.** A cell with `,`, `;` or tab in it is neutralised when the
//!    text after any of them begins (after invisible characters) with a trigger: `x;=1+1`
//!    would start a new cell with `=` in a reader that splits on `;` (Excel in many European
//!    locales). Every cell containing `,`, `;`, `|`, `"`, tab, CR or LF is quoted, so readers
//!    that honour quotes keep it one cell.
//! 5. **Plain numbers stay as they are** (narrower than OWASP's list): a cell that starts with
//!    an ASCII `+` or `-` and is otherwise only ASCII digits, spaces, `-`, `.`, `,`, `(` and `)`
//!    (with at least one digit), or a number in scientific notation such as `-1.5e-3`, keeps
//!    its sign without a `'`: ids like `-5` and phone numbers like `+44 20 7946 0958` or
//!    `+1 (555) 010-9999`. Such a cell has no letter, so a spreadsheet that reads it as a
//!    formula can only do arithmetic on its own digits: it cannot call a function, refer to a
//!    cell or another file, or start a program.
//!
//! The prefix is one `'`, which Excel and LibreOffice show as part of the text when they open a
//! CSV; a reader that imports the export again strips it from a value that begins `'` followed
//! by a trigger.

/// Characters a reader does not see, skipped before judging a cell's first character.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
        )
}

/// Characters that make a spreadsheet read a cell as a formula when they come first.
fn is_trigger(c: char) -> bool {
    matches!(
        c,
        '=' | '+'
            | '-'
            | '@'
            | '|'
            | '\u{FF1D}' // ＝
            | '\u{FF0B}' // ＋
            | '\u{FF0D}' // －
            | '\u{FF20}' // ＠
            | '\u{FF5C}' // ｜
            | '\u{FE66}' // ﹦
            | '\u{FE62}' // ﹢
            | '\u{FE63}' // ﹣
            | '\u{FE6B}' // ﹫
            | '\u{2212}' // −
    )
}

/// Whether `text`, after its invisible leading characters, begins with a trigger.
fn starts_with_trigger(text: &str) -> bool {
    text.chars().find(|&c| !is_invisible(c)).is_some_and(is_trigger)
}

/// A signed plain number: ASCII `+`/`-`, then digits with spaces, dashes, dots, commas and
/// parentheses (phone numbers, negative ids), or a number in scientific notation.
fn is_plain_signed_number(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix(['+', '-']) else {
        return false;
    };
    let digits_and_punctuation = rest.bytes().any(|b| b.is_ascii_digit())
        && rest.starts_with(|c: char| c.is_ascii_digit() || c == '(' || c == '.')
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b',' | b'(' | b')'));
    digits_and_punctuation || is_scientific(rest)
}

/// `1e5`, `1.5E-3`, `.5e+2`: a mantissa with at least one digit, `e`/`E`, an optional sign and
/// digits.
fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exponent)) = s.split_once(['e', 'E']) else {
        return false;
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a text cell gets a leading `'` (see the module documentation for the rule).
///
/// ```
/// use clientele::export_cell::needs_prefix;
/// assert!(needs_prefix("=HYPERLINK(\"http://x\")"));
/// assert!(needs_prefix("\u{200B}=1+1"));
/// assert!(needs_prefix("＝1+1"));
/// assert!(needs_prefix("cmd|' /C calc'!A0"));
/// assert!(!needs_prefix("-5"));
/// assert!(!needs_prefix("+44 20 7946 0958"));
/// assert!(!needs_prefix("A-17"));
/// ```
pub fn needs_prefix(cell: &str) -> bool {
    if cell.starts_with(['\t', '\r', '\n']) || cell.contains(['|', '\u{FF5C}']) {
        return true;
    }
    if starts_with_trigger(cell) {
        return !is_plain_signed_number(cell);
    }
    cell.split([',', ';', '\t']).skip(1).any(starts_with_trigger)
}

/// Appends one text cell to a CSV line: prefixed with `'` when [`needs_prefix`] says so, and
/// double-quoted (quotes doubled) when prefixed or when it contains a quote, a line break or a
/// separator some reader may use (`,` `;` `|` tab).
pub fn push_csv_text(out: &mut String, cell: &str) {
    let prefix = needs_prefix(cell);
    let quote = prefix || cell.contains([',', ';', '|', '"', '\t', '\r', '\n']);
    if !quote {
        out.push_str(cell);
        return;
    }
    out.push('"');
    if prefix {
        out.push('\'');
    }
    for ch in cell.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> String {
        let mut out = String::new();
        push_csv_text(&mut out, s);
        out
    }

    #[test]
    fn owasp_characters_at_the_start_are_prefixed() {
        for s in [
            "=1+1", "+A1", "-A1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "\tplain", "\rplain", "\nplain",
        ] {
            assert!(needs_prefix(s), "{s:?}");
        }
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("\tx"), "\"'\tx\"");
        // OWASP's two examples.
        assert_eq!(cell("=1+2\";=1+2"), "\"'=1+2\"\";=1+2\"");
        assert_eq!(cell("=1+2'\" ;,=1+2"), "\"'=1+2'\"\" ;,=1+2\"");
    }

    #[test]
    fn full_width_small_and_minus_sign_forms_are_prefixed() {
        for s in [
            "＝1+1",
            "＋A1",
            "－A1",
            "＠SUM(A1)",
            "｜x",
            "﹦1+1",
            "﹢A1",
            "﹣A1",
            "﹫x",
            "−A1",
        ] {
            assert!(needs_prefix(s), "{s:?}");
            assert_eq!(cell(s), format!("\"'{s}\""));
        }
        // Even with digits only: not an ASCII sign, so not the plain-number exception.
        assert!(needs_prefix("－5"));
        assert!(needs_prefix("＋44 20 7946 0958"));
    }

    #[test]
    fn invisible_leading_characters_do_not_hide_a_trigger() {
        for lead in [
            "\u{200B}",
            "\u{FEFF}",
            "\u{200C}",
            "\u{200D}",
            "\u{2060}",
            "\u{00AD}",
            "\u{180E}",
            " ",
            "\u{00A0}",
            "\u{3000}",
            "\u{200B}\u{FEFF} ",
        ] {
            for t in ["=1+1", "+A1", "@x", "＝1+1", "-A1"] {
                let s = format!("{lead}{t}");
                assert!(needs_prefix(&s), "{s:?}");
                assert_eq!(cell(&s), format!("\"'{s}\""));
            }
            // Invisible characters before a number: no longer a plain number.
            assert!(needs_prefix(&format!("{lead}-5")), "{lead:?}-5");
        }
        // Invisible characters alone, or before ordinary text, change nothing.
        assert!(!needs_prefix("\u{200B}abc"));
        assert_eq!(cell("\u{FEFF}abc"), "\u{FEFF}abc");
    }

    #[test]
    fn a_pipe_anywhere_is_prefixed() {
        for s in ["cmd|' /C calc'!A0", "a|b", "|", "x｜y"] {
            assert!(needs_prefix(s), "{s:?}");
            assert_eq!(cell(s), format!("\"'{s}\""));
        }
    }

    #[test]
    fn a_trigger_after_a_separator_inside_the_cell_is_prefixed() {
        for s in [
            "x;=1+1",
            "x,=1+1",
            "x\t=1+1",
            "x; \u{200B}@SUM(A1)",
            "Smith;＝1",
            "a,+A1",
        ] {
            assert!(needs_prefix(s), "{s:?}");
        }
        assert_eq!(cell("x;=1+1"), "\"'x;=1+1\"");
        // Separators followed by ordinary text: quoted, not prefixed.
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("a\tb"), "\"a\tb\"");
        assert_eq!(cell("a, b"), "\"a, b\"");
    }

    #[test]
    fn plain_numbers_keep_their_sign_unprefixed() {
        for s in [
            "-5",
            "+5",
            "-0.75",
            "-1,234.50",
            "+44 20 7946 0958",
            "+1 (555) 010-9999",
            "-(5)",
            "+33-1-23-45-67-89",
            "-1e5",
            "+1.5E-3",
            "-.5e+2",
            "+2e10",
        ] {
            assert!(!needs_prefix(s), "{s:?}");
            assert_eq!(
                cell(s),
                if s.contains(',') {
                    format!("\"{s}\"")
                } else {
                    s.to_string()
                }
            );
        }
    }

    #[test]
    fn signed_text_that_is_not_a_plain_number_is_prefixed() {
        for s in [
            "-",
            "+",
            "- ",
            "-e5",
            "-1e",
            "-1e5x",
            "-5A",
            "+44 20 7946 0958 ext",
            "-A1",
            "+1+cmd",
            "-1|2",
            "-1;=A1",
            "-(",
            "+ 1",
        ] {
            assert!(needs_prefix(s), "{s:?}");
        }
    }

    #[test]
    fn ordinary_cells_are_left_alone() {
        for s in [
            "",
            "00017",
            "A-17",
            "C3",
            "Champions",
            "Müller",
            "客户12",
            "a b",
            "5-",
            "1e5",
            "12+3",
            "x@example.com",
            "'quoted",
            "'=1",
        ] {
            assert!(!needs_prefix(s), "{s:?}");
            assert_eq!(cell(s), s);
        }
    }

    #[test]
    fn quotes_and_line_breaks_inside_are_quoted() {
        assert_eq!(cell("a\"b"), "\"a\"\"b\"");
        assert_eq!(cell("a\nb"), "\"a\nb\"");
        assert_eq!(cell("a\r\nb"), "\"a\r\nb\"");
    }
}
