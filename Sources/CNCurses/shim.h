// Not API. Brings ncursesw into Swift: the wide-character calls plus static inline
// wrappers for the macros Swift cannot import (function-like macros and
// expressions built from NCURSES_BITS).
#pragma once

// The wide-character API (cchar_t, wadd_wch, waddnwstr, wget_wch) is only
// declared when one of these is set before the header is read.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <stdio.h>
#include <wchar.h>
#if __has_include(<ncursesw/ncurses.h>)
#include <ncursesw/ncurses.h>
#else
#include <ncurses.h>
#endif

// Starts curses on the process's standard output and input with $TERM; NULL when
// TERM is unusable (initscr would exit instead). Here because Swift 6 treats the
// stdio globals stdout / stdin as unsafe shared state.
static inline SCREEN *fer_newterm(void) { return newterm(NULL, stdout, stdin); }

// Whether the terminal newterm started can move the cursor (terminfo "cup"):
// a dumb terminal starts but cannot draw a screen. Declared here rather than by
// including <term.h>, whose macros (lines, columns, …) would leak into Swift.
extern char *tigetstr(const char *);
static inline bool fer_can_address(void) {
  const char *cup = tigetstr("cup");
  return cup != NULL && cup != (char *)-1;
}

// stdscr may itself be a macro (reentrant builds): every wrapper below names it
// here, so Swift never refers to it.
static inline int fer_max_x(void) { return getmaxx(stdscr); }
static inline int fer_max_y(void) { return getmaxy(stdscr); }

// Writes n wide characters starting at row y, column x (no wrapping past the line).
static inline int fer_put_wide(int y, int x, const wchar_t *text, int n) {
  return mvwaddnwstr(stdscr, y, x, text, n);
}

// Sets the attributes and colour pair of what is written next (the pair goes in
// its own argument, so COLOR_PAIR's bit packing is not needed).
static inline int fer_set_attributes(attr_t attributes, short pair) {
  return wattr_set(stdscr, attributes, pair, NULL);
}

// A key or character; returns OK for a character, KEY_CODE_YES for a key code, ERR on timeout.
static inline int fer_get_wch(wint_t *key) { return wget_wch(stdscr, key); }

// Input polling: milliseconds to wait (0 = never wait, negative = wait forever).
static inline void fer_timeout(int milliseconds) { wtimeout(stdscr, milliseconds); }

static inline int fer_keypad(bool enabled) { return keypad(stdscr, enabled); }
static inline int fer_clear(void) { return wclear(stdscr); }
static inline int fer_refresh(void) { return wrefresh(stdscr); }

static inline int fer_colors(void) { return COLORS; }
static inline int fer_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t fer_a_normal(void) { return A_NORMAL; }
static inline attr_t fer_a_bold(void) { return A_BOLD; }
static inline attr_t fer_a_dim(void) { return A_DIM; }
static inline attr_t fer_a_reverse(void) { return A_REVERSE; }
static inline attr_t fer_a_underline(void) { return A_UNDERLINE; }
