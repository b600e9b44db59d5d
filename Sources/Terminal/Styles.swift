import Storyboard

/// How the curses player shows a cell: a colour pair and video attributes, read from
/// `RoleStyle`'s table, the one `render --color always` and recordings read too. Pure, so
/// that tests can hold it against the ANSI renderer without a terminal.
struct CursesLook: Equatable, Sendable {
    /// Curses colour numbers 0–7, or -1 for the terminal's own colour.
    var foreground: Int16
    var background: Int16
    var attributes: Attributes

    /// The terminal's own colour.
    static let standard: Int16 = -1

    /// The look of a cell of `role`, emphasised with bold where `bold`. With `colour`, the
    /// role's colours and attributes; without, its monochrome attributes on the terminal's own
    /// colours. `defaultColours` false means `use_default_colors` failed, so -1 is not a colour
    /// and white on black stands in for the terminal's own.
    static func of(_ role: Role, bold: Bool = false, colour: Bool = true, defaultColours: Bool = true) -> CursesLook {
        let style = RoleStyle.of(role)
        var look: CursesLook
        if colour {
            let unset = defaultColours ? (standard, standard) : (Colour.white.rawValue, Colour.black.rawValue)
            look = CursesLook(foreground: style.foreground?.rawValue ?? unset.0,
                              background: style.background?.rawValue ?? unset.1,
                              attributes: style.attributes)
        } else {
            look = CursesLook(foreground: standard, background: standard, attributes: style.monochrome)
        }
        if bold { look.attributes.insert(.bold) }
        return look
    }

    /// The colour pair a role's colours are set up in (pair 0 is curses' own and cannot be
    /// changed).
    static func pair(_ role: Role) -> Int16 { Int16(role.rawValue) + 1 }
}
