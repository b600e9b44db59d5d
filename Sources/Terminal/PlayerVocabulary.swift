import Storyboard

/// A key press as the player understands it, independent of how curses reported it.
public enum Key: Equatable, Sendable {
    case character(Character)
    case left, right, up, down, home, end, pageUp, pageDown
    case enter, escape, backspace
    /// Ctrl-L: the screen may be garbled by something outside the player.
    case redraw
    /// Tab and Shift-Tab: the inspector's next and previous tensor.
    case tab, backTab
    /// A mouse click at a screen position (0-based), where the terminal reports clicks.
    case click(row: Int, column: Int)
}

/// What the front end must do after the model handled a key or a tick.
public enum Effect: Equatable, Sendable {
    /// Nothing visible changed.
    case none
    /// Compose and draw the screen again (the diff keeps this cheap).
    case redraw
    /// Throw away what is on the terminal and paint everything again.
    case repaint
    /// The key changes nothing here: ring the bell and draw again, for the status line says
    /// why (`PlayerModel.notice`).
    case bell
    case quit
}

/// What covers the frame, if anything.
public enum Overlay: Equatable, Sendable {
    case none
    case help
    /// The go-to-step prompt and the digits typed so far.
    case goTo(String)
    /// A question asked before its step, and what has been typed and graded so far.
    case question(QuestionSession)
    /// The end of a practice: the score and the steps missed.
    case score(PracticeScore)
}

/// What the status line says after a key that changed nothing, or less than it seems to, until
/// the next key: no key goes without a visible answer.
public enum Notice: Equatable, Sendable {
    case atFirstStep
    case atLastStep
    /// `g` and Enter on the step already shown (1-based).
    case alreadyAtStep(Int)
    /// `+` at the top of the speed ladder, `-` at its bottom.
    case fastest(Double)
    case slowest(Double)
    /// Space on a source of a single step.
    case onlyOneStep
    /// `v` switched the view, but this step looks the same in numbers and symbols; `symbols`
    /// is the view switched to.
    case sameInBothViews(symbols: Bool)
    /// `c` switched the code pane, but this step looks the same with and without it.
    case codePaneChangesNothing(shown: Bool)
    /// PgDn or PgUp where the whole narration is shown.
    case narrationAllShown
    /// PgDn on the narration's last page.
    case narrationAtEnd
    /// PgUp on its first.
    case narrationAtTop
    /// `b` where every block of the step's tensors is on screen.
    case everyBlockShown
    /// A key the player has no use for, by name.
    case unknownKey(String)
    /// The go-to prompt takes step numbers only, up to the step count.
    case stepNumbersOnly(Int)
    /// `g` and Enter on a number no step shows (as numbered on screen, from 1); the step count.
    case noSuchStep(Int, count: Int)
    /// `i` where the frame shows no cell to inspect.
    case nothingToInspect
    /// An arrow that would take the inspector's cursor out of its tensor.
    case cursorAtEdge
    /// A click on no cell.
    case noCellThere
    /// Picking a question's cells on the frame: the cells picked so far.
    case picking(String)
    /// A live change of free play that does not work, and why; the last settings stay.
    case liveRefused(String)
}
