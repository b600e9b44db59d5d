#ifndef TATAMI_CNCURSESW_SHIM_H
#define TATAMI_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600; without these the wide-character API
// (cchar_t, setcchar, get_wch, mvadd_wchstr) is not declared.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
