// Reference: CPython's str.isspace and the sre `\w` of str patterns (str.isalnum() or "_"). PythonRegex spells
// the same two classes as ICU sets; the scanners and parsers that work scalar by scalar use these.

extension Unicode.Scalar {
    /// Python's str.isspace (what `\s` matches in a str pattern): White_Space plus U+001C–U+001F.
    var isPythonSpace: Bool { properties.isWhitespace || (0x1C...0x1F).contains(value) }

    /// Python's `\w`: letters and numbers of any script, and "_".
    var isPythonWord: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: return true
        default: return self == "_"
        }
    }
}
