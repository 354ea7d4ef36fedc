"""A small C++ lexer: finds the string literals and comments of a source file.

Enough of C++'s lexical grammar to never mistake code for text or text for
code: escapes, raw strings (R"d(...)d"), encoding prefixes (u8, L, ...),
character literals, digit separators (1'000) and #include header names.
Adjacent string literals are joined, as the compiler joins them, so a name
split across two literals ("fx::" "scan") is still seen whole.
"""

import bisect
import re

_INCLUDE = re.compile(r"#\s*include\s*[<\"][^>\"\n]*[>\"]")
_IDENT = re.compile(r"[A-Za-z_]\w*")
_PP_NUMBER = re.compile(r"\.?\d(?:[eEpP][+-]|'\w|[\w.])*")
_STRING_PREFIXES = {"u8", "u", "U", "L"}
_RAW_PREFIXES = {"R", "u8R", "uR", "UR", "LR"}


class Lines:
    """Line and column (both from 1) of an offset into a text."""

    def __init__(self, text):
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def place(self, offset):
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


class Text:
    """A literal's or comment's characters, each with its place in the file."""

    def __init__(self, lines, start):
        self._lines = lines
        self._start = start  # where an empty literal, which has no characters, is
        self.chars = []
        self.offsets = []

    def add(self, source, start, end):
        self.chars.append(source[start:end])
        self.offsets.extend(range(start, end))

    @property
    def text(self):
        return "".join(self.chars)

    def place_at(self, offset):
        """(line, column) in the file of the text's character at `offset`."""
        return self._lines.place(self.offsets[offset] if offset < len(self.offsets) else self._start)

    def line_at(self, offset):
        return self.place_at(offset)[0]


def lex(source):
    """Returns (literals, comments): lists of Text, in source order."""
    lines = Lines(source)
    literals, comments = [], []
    i, n = 0, len(source)
    joinable = False  # the last token was a string literal (only spaces/comments since)
    at_line_start = True
    while i < n:
        ch = source[i]
        if ch == "\n":
            i += 1
            at_line_start = True
            continue
        if ch in " \t\r\f\v":
            i += 1
            continue
        if source.startswith("//", i) or source.startswith("/*", i):
            line_comment = source[i + 1] == "/"
            end = source.find("\n" if line_comment else "*/", i + 2)
            end = n if end < 0 else end
            comment = Text(lines, i + 2)
            comment.add(source, i + 2, end)
            comments.append(comment)
            i = end if line_comment else end + 2
            continue
        if ch == "#" and at_line_start:
            directive = _INCLUDE.match(source, i)
            if directive:
                i = directive.end()
                joinable = False
                continue
        at_line_start = False
        ident = _IDENT.match(source, i)
        if ident:
            word, j = ident.group(), ident.end()
            if j < n and source[j] == '"' and word in _RAW_PREFIXES:
                i = _raw_string(source, j, lines, literals, joinable)
                joinable = True
            elif j < n and source[j] in "\"'" and word in _STRING_PREFIXES:
                i = j  # the prefix belongs to the literal that follows
            else:
                i = j
                joinable = False
            continue
        number = _PP_NUMBER.match(source, i)
        if number:
            i = number.end()
            joinable = False
            continue
        if ch in "\"'":
            end = _closing_quote(source, i, lines)
            if ch == '"':
                _append(literals, source, i + 1, end, lines, joinable)
            joinable = ch == '"'
            i = end + 1
            continue
        i += 1
        joinable = False
    return literals, comments


def _closing_quote(source, i, lines):
    quote, j = source[i], i + 1
    while j < len(source) and source[j] != quote:
        if source[j] == "\\":
            j += 1
        elif source[j] == "\n":
            raise SyntaxError(f"line {lines.place(i)[0]}: unterminated {quote} literal")
        j += 1
    return j


def _raw_string(source, quote_at, lines, literals, join):
    open_paren = source.find("(", quote_at)
    delimiter = source[quote_at + 1:open_paren]
    close = source.find(")" + delimiter + '"', open_paren)
    if close < 0:
        raise SyntaxError(f"line {lines.place(quote_at)[0]}: unterminated raw string")
    _append(literals, source, open_paren + 1, close, lines, join)
    return close + len(delimiter) + 2


def _append(literals, source, start, end, lines, join):
    if not (join and literals):
        literals.append(Text(lines, start))
    literals[-1].add(source, start, end)
