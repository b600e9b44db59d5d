import Storyboard

/// The video attributes a role can use, independent of curses' bit layout.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let reverse = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let dim = Attributes(rawValue: 8)
}

/// How one role looks: a foreground and background colour (curses numbers 0–7, -1 for the
/// terminal's own default) plus attributes.
public struct RoleStyle: Sendable, Equatable {
    public var foreground: Int16
    public var background: Int16
    public var attributes: Attributes

    /// Curses colour numbers, spelled out so that the table below reads as colours.
    enum Colour {
        static let standard: Int16 = -1
        static let black: Int16 = 0, red: Int16 = 1, green: Int16 = 2, yellow: Int16 = 3
        static let blue: Int16 = 4, magenta: Int16 = 5, cyan: Int16 = 6, white: Int16 = 7
    }

    /// The look of `role` on a colour terminal. Highlights are backgrounds, so that a cell
    /// stands out whatever its text; attributes back them up on terminals with few colours.
    public static func colour(_ role: Role) -> RoleStyle {
        typealias C = Colour
        switch role {
        case .plain: return RoleStyle(foreground: C.standard, background: C.standard, attributes: [])
        case .dim: return RoleStyle(foreground: C.standard, background: C.standard, attributes: [.dim])
        case .heading: return RoleStyle(foreground: C.yellow, background: C.standard, attributes: [.bold])
        case .window: return RoleStyle(foreground: C.black, background: C.cyan, attributes: [])
        case .source: return RoleStyle(foreground: C.black, background: C.green, attributes: [])
        case .dest: return RoleStyle(foreground: C.black, background: C.yellow, attributes: [.bold])
        case .argmax: return RoleStyle(foreground: C.white, background: C.red, attributes: [.bold])
        case .accumulated: return RoleStyle(foreground: C.black, background: C.magenta, attributes: [])
        case .padding: return RoleStyle(foreground: C.blue, background: C.standard, attributes: [.dim])
        case .done: return RoleStyle(foreground: C.green, background: C.standard, attributes: [])
        case .code: return RoleStyle(foreground: C.black, background: C.white, attributes: [])
        case .narration: return RoleStyle(foreground: C.cyan, background: C.standard, attributes: [])
        case .warning: return RoleStyle(foreground: C.red, background: C.standard, attributes: [.bold])
        }
    }

    /// The attributes of `role` without colour (`NO_COLOR`, or a terminal such as vt100).
    /// Every highlight a grid can carry — window, source, dest, argmax, accumulated,
    /// padding, done — gets a combination of its own, different from plain and dim text.
    /// Text roles that never share a place with each other (narration, code) may repeat one.
    public static func monochrome(_ role: Role) -> Attributes {
        switch role {
        case .plain, .narration: return []
        case .dim: return [.dim]
        case .heading: return [.bold]
        case .window: return [.underline]
        case .source: return [.reverse]
        case .dest: return [.reverse, .bold]
        case .argmax: return [.reverse, .underline]
        case .accumulated: return [.bold, .underline]
        case .padding: return [.dim, .underline]
        case .done: return [.bold, .dim]
        case .code: return [.reverse]
        case .warning: return [.bold, .reverse, .underline]
        }
    }
}
