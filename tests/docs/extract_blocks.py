#!/usr/bin/env python3
"""Pulls every ```cpp block out of Markdown documents so the test suite can
compile and run it, and the ```text block that follows it (when there is
one) so its output can be compared with what the document shows.

    extract_blocks.py OUT_DIR SOURCE_ROOT NAME=DOC.md [NAME=DOC.md ...]

Block k of document NAME is NAME_k (01, 02, ...). In OUT_DIR it writes:
  NAME_sectionN.cpp  the blocks under the document's N-th `## ` heading, as
                     one translation unit of a shared program (the headers
                     are compiled once per section, not once per block):
                     the blocks' #include lines on top, then each block in
                     its own namespace (two blocks may both define a struct
                     Params) with `int main()` renamed, under #line
                     directives so that compiler errors point into the
                     document;
  NAME_k.expected    the text block that follows block k, if any;
  docs_main.cpp      the driver: `docs_examples NAME_k` runs block k;
  blocks.cmake       the blocks and sources, for tests/docs/CMakeLists.txt.
A file is rewritten only when its content changes, so editing one section
recompiles one translation unit.

A block that is not a complete program (no `int main()`, no
#include <fluxion/fluxion.hpp>) becomes an #error that names the document
and line: the reader must be able to copy every block as it stands.
"""

import os
import re
import sys

FENCE = re.compile(r"^```(\S*)\s*$")
INDENTED_CPP = re.compile(r"^\s+```cpp\s*$")
MAIN = re.compile(r"\bint\s+main\s*\(\s*\)")
INCLUDE = re.compile(r"^\s*#\s*include\b")


def parse(path):
    """The (section, line, code, expected-or-None) of each ```cpp block of
    `path`; a section is the text under one `## ` heading."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, errors = [], []
    section = 0
    i = 0
    while i < len(lines):
        if lines[i].startswith("## "):
            section += 1
        if INDENTED_CPP.match(lines[i]):
            errors.append((i + 1, "an indented ```cpp fence (write code blocks at column 0)"))
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i + 1
        end = start
        while end < len(lines) and not FENCE.match(lines[end]):
            end += 1
        if end == len(lines):
            errors.append((i + 1, "a code block that is never closed"))
            break
        body = lines[start:end]
        i = end + 1
        if lang != "cpp":
            continue
        # The output shown for it: a ```text block, after blank lines only.
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        expected = None
        if j < len(lines) and FENCE.match(lines[j]) and FENCE.match(lines[j]).group(1) == "text":
            k = j + 1
            while k < len(lines) and not FENCE.match(lines[k]):
                k += 1
            expected = "\n".join(lines[j + 1:k]) + "\n" if k > j + 1 else ""
            i = k + 1
        blocks.append((section, start + 1, body, expected))  # start + 1: the first code line, 1-based
    return blocks, errors


def block_code(ns, doc, first_line, body):
    """One block inside its own namespace, `main` renamed, and the function
    the driver calls; with the block's #include lines, which go on top of
    its translation unit. Lines are counted from `first_line`."""
    code = "\n".join(body)
    problems = []
    if not MAIN.search(code):
        problems.append("it has no `int main()`")
    if not re.search(r"#\s*include\s*<fluxion/fluxion\.hpp>", code):
        problems.append("it does not #include <fluxion/fluxion.hpp>")
    if problems:
        return [], [f'#line {first_line} "{doc}"',
                    f'#error "this ```cpp block is not a complete program ({"; ".join(problems)}); '
                    'every block is compiled as it stands"']
    includes = [line.strip() for line in body if INCLUDE.match(line)]
    # The includes' lines stay, empty, so that #line keeps every other line
    # where the document has it.
    rest = ["" if INCLUDE.match(line) else line for line in body]
    renamed = MAIN.sub(f"auto {ns}_main()", "\n".join(rest), count=1)
    # main() may fall off its end (an implicit 0, for ::main only) or return a
    # status: the renamed function's return type is deduced, and status_of
    # gives the driver an int either way (a template, so that only the branch
    # that applies is compiled).
    return includes, [
        f"namespace {ns} {{",
        f'#line {first_line} "{doc}"',
        renamed,
        "#line 0",  # replaced by the line in the generated file
        "template <class F> int status_of(F f) {",
        "  if constexpr (std::is_void_v<std::invoke_result_t<F>>) {",
        "    f();",
        "    return 0;",
        "  } else {",
        "    return f();",
        "  }",
        "}",
        "}",
        f"int {ns}_run() {{ return {ns}::status_of([] {{ return {ns}::{ns}_main(); }}); }}",
    ]


def translation_unit(doc, file_name, blocks):
    """The blocks of one section, `blocks` a list of (namespace, line, body):
    one translation unit, so that the headers are compiled once per section."""
    includes, parts = [], []
    for ns, line, body in blocks:
        block_includes, code = block_code(ns, doc, line, body)
        includes += [i for i in block_includes if i not in includes]
        parts += code
    head = [f"// Extracted from {doc} by tests/docs/extract_blocks.py; edit the document, not this file."]
    head += includes + ["#include <type_traits>"]
    lines = "\n".join(head + parts).split("\n")
    # Code that is not the document's is reported at its place in this file.
    lines = [f'#line {n + 2} "{file_name}"' if text == "#line 0" else text for n, text in enumerate(lines)]
    return "\n".join(lines) + "\n"


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    out_dir, root = argv[1], argv[2]
    os.makedirs(out_dir, exist_ok=True)
    ids, cmake, files = [], [], []
    for spec in argv[3:]:
        name, path = spec.split("=", 1)
        doc = os.path.relpath(path, root)
        blocks, errors = parse(path)
        for line, why in errors:
            sys.exit(f"{doc}:{line}: {why}")
        if not blocks:
            sys.exit(f"{doc}: no ```cpp block to check")
        sections = {}
        for index, (section, line, body, expected) in enumerate(blocks, start=1):
            block = f"{name}_{index:02d}"
            ids.append(block)
            sections.setdefault(section, []).append((f"fluxion_doc_{block}", line, body))
            expected_path = os.path.join(out_dir, block + ".expected")
            if expected is None:
                expected_path = ""
            else:
                write_if_changed(expected_path, expected)
                files.append(expected_path)
            cmake.append(f'list(APPEND FLUXION_DOC_BLOCKS {block})\n'
                         f'set(FLUXION_DOC_{block}_WHERE "{doc}:{line}")\n'
                         f'set(FLUXION_DOC_{block}_EXPECTED "{expected_path}")\n')
        for section, members in sections.items():
            file_name = f"{name}_section{section:02d}.cpp"
            write_if_changed(os.path.join(out_dir, file_name), translation_unit(doc, file_name, members))
            files.append(os.path.join(out_dir, file_name))
            cmake.append(f"list(APPEND FLUXION_DOC_SOURCES ${{FLUXION_DOC_DIR}}/{file_name})\n")
    driver = ["// The program behind every documented block: `docs_examples BLOCK` runs one.",
              "#include <cstdio>", "#include <cstring>", ""]
    driver += [f"int fluxion_doc_{b}_run();" for b in ids]
    driver += ["", "int main(int argc, char** argv) {",
               '  if (argc != 2) { std::fputs("usage: docs_examples BLOCK\\n", stderr); return 2; }']
    driver += [f'  if (std::strcmp(argv[1], "{b}") == 0) return fluxion_doc_{b}_run();' for b in ids]
    driver += ['  std::fprintf(stderr, "docs_examples: no block %s\\n", argv[1]);', "  return 2;", "}"]
    write_if_changed(os.path.join(out_dir, "docs_main.cpp"), "\n".join(driver) + "\n")
    files.append(os.path.join(out_dir, "docs_main.cpp"))
    # What a previous extraction wrote that is gone from the documents.
    for f in os.listdir(out_dir):
        path = os.path.join(out_dir, f)
        if os.path.splitext(f)[1] in (".cpp", ".expected") and path not in files:
            os.remove(path)
    write_if_changed(os.path.join(out_dir, "blocks.cmake"),
                     "set(FLUXION_DOC_BLOCKS)\nset(FLUXION_DOC_SOURCES ${FLUXION_DOC_DIR}/docs_main.cpp)\n" +
                     "".join(cmake))


if __name__ == "__main__":
    main(sys.argv)
