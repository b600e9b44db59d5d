#ifndef TATAMI_CNCURSESW_SHIM_H
#define TATAMI_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600; without these the wide-character API
// (cchar_t, setcchar, get_wch, mvadd_wchstr) is not declared.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <langinfo.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Swift imports neither function-like macros nor macros built from other macros, and in
// Swift 6 mode C globals are shared mutable state. Everything the player needs from those
// is read through the accessors below.

static inline WINDOW *tatami_stdscr(void) { return stdscr; }
static inline int tatami_lines(void) { return LINES; }
static inline int tatami_cols(void) { return COLS; }
static inline int tatami_colors(void) { return COLORS; }
static inline int tatami_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *tatami_stdin(void) { return stdin; }
static inline FILE *tatami_stdout(void) { return stdout; }

static inline attr_t tatami_a_normal(void) { return A_NORMAL; }
static inline attr_t tatami_a_bold(void) { return A_BOLD; }
static inline attr_t tatami_a_reverse(void) { return A_REVERSE; }
static inline attr_t tatami_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tatami_a_dim(void) { return A_DIM; }
static inline attr_t tatami_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }

static inline int tatami_key_code_yes(void) { return KEY_CODE_YES; }
static inline int tatami_key_left(void) { return KEY_LEFT; }
static inline int tatami_key_right(void) { return KEY_RIGHT; }
static inline int tatami_key_up(void) { return KEY_UP; }
static inline int tatami_key_down(void) { return KEY_DOWN; }
static inline int tatami_key_home(void) { return KEY_HOME; }
static inline int tatami_key_end(void) { return KEY_END; }
static inline int tatami_key_backspace(void) { return KEY_BACKSPACE; }
static inline int tatami_key_enter(void) { return KEY_ENTER; }
static inline int tatami_key_resize(void) { return KEY_RESIZE; }
static inline int tatami_key_npage(void) { return KEY_NPAGE; }
static inline int tatami_key_ppage(void) { return KEY_PPAGE; }
static inline int tatami_key_btab(void) { return KEY_BTAB; }
static inline int tatami_key_mouse(void) { return KEY_MOUSE; }

/// Asks the terminal to report presses of the first mouse button, at once (no wait to tell a
/// click from a press). Returns whether it can.
static inline int tatami_mouse_on(void) {
    mouseinterval(0);
    return mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL) != 0;
}

/// Reads the mouse event that KEY_MOUSE announced: 1 and its row and column for a press of the
/// first button, 0 for anything else.
static inline int tatami_mouse_press(int *row, int *column) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if ((event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) == 0) return 0;
    *row = event.y;
    *column = event.x;
    return 1;
}

/// Whether terminfo has a usable description of `name`: 1 if so, 0 if it is unknown or too
/// generic for a full-screen program (dumb), -1 if no terminfo database was found at all.
/// The probe's terminal is discarded again so that it does not linger as `cur_term`.
static inline int tatami_terminfo_status(const char *name, int fd) {
    int err = 0;
    TERMINAL *previous = cur_term;
    if (setupterm((char *)name, fd, &err) != OK) {
        return err == -1 ? -1 : 0;
    }
    TERMINAL *probe = set_curterm(previous);
    if (probe != previous) del_curterm(probe);
    return 1;
}

/// True when the current locale encodes text as UTF-8.
static inline int tatami_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) return 0;
    return (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't') &&
           (codeset[2] == 'F' || codeset[2] == 'f');
}
#endif
