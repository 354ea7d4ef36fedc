#!/usr/bin/env python3
"""Finds what Fluxion's messages and documents name, so tests can check it exists.

  collect_names.py declarations ROOT OUT_DIR
      Writes OUT_DIR/messages_names.cpp (the fx:: names that string literals in
      src/ and include/fluxion/ mention), OUT_DIR/comments_names.cpp (those
      their comments mention) and OUT_DIR/docs_names.cpp (those README.md and
      docs/*.md mention). Each mention becomes a declaration such
      as `using fluxion::cond;` under a #line directive that points at the
      mention, so a name the public headers lack fails the build there:
          src/core/array.cpp:126: error: 'cond' has not been declared in 'fluxion'
      Each file also lists its mentions for names_test to inspect at run time.

  collect_names.py paths ROOT
      Checks that the repository files which README.md, docs/*.md and the
      comments of include/fluxion/*.hpp name exist; prints the missing ones.
"""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxx_lexer  # noqa: E402

# fx::name, fx::ns::name, fx::Class::member; a slash list shares the scope:
# "fx::jacfwd/jacrev" names fx::jacfwd and fx::jacrev.
_MENTION = re.compile(r"(?<![\w:])fx::([A-Za-z_]\w*(?:::[A-Za-z_]\w*)*)((?:/[A-Za-z_]\w*(?!\w|::))*)")
# Messages spell an Array's member function as a call on x: "x.astype(fx::float64)".
# (Documents and comments also show JAX's Python, where x.tolist() is JAX's.)
_MEMBER_CALL = re.compile(r"(?<![\w.])x\.([A-Za-z_]\w*)\(")


class Mention:
    def __init__(self, name, path, place):
        self.name = name  # tuple of components below fluxion, e.g. ("random", "key")
        self.path = path  # relative to the repository root
        self.line, self.column = place  # of the name's last component

    def spelled(self):
        return "::".join(self.name)


def mentions_in(text, path, place_at, member_calls=False):
    """The fx:: names in `text` (and with member_calls, x.name(...) calls);
    place_at(offset) gives a character's (line, column)."""
    found = []
    for m in _MENTION.finditer(text):
        name = tuple(m.group(1).split("::"))
        found.append(Mention(name, path, place_at(m.start(1) + len(m.group(1)) - len(name[-1]))))
        offset = m.start(2)
        for sibling in m.group(2).split("/")[1:]:
            found.append(Mention(name[:-1] + (sibling,), path, place_at(offset + 1)))
            offset += 1 + len(sibling)
    for m in _MEMBER_CALL.finditer(text) if member_calls else ():
        found.append(Mention(("Array", m.group(1)), path, place_at(m.start(1))))
    return found


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def message_sources(root):
    files = glob.glob(os.path.join(root, "src", "**", "*.cpp"), recursive=True)
    files += glob.glob(os.path.join(root, "src", "**", "*.hpp"), recursive=True)
    files += glob.glob(os.path.join(root, "include", "fluxion", "*.hpp"))
    return sorted(files)


def document_sources(root):
    return [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))


def source_mentions(root):
    """(mentions in string literals, mentions in comments) of src/ and include/fluxion/."""
    in_literals, in_comments = [], []
    for path in message_sources(root):
        literals, comments = cxx_lexer.lex(_read(path))
        rel = os.path.relpath(path, root)
        for literal in literals:
            in_literals += mentions_in(literal.text, rel, literal.place_at, member_calls=True)
        for comment in comments:
            in_comments += mentions_in(comment.text, rel, comment.place_at)
    return in_literals, in_comments


def document_mentions(root):
    found = []
    for path in document_sources(root):
        if not os.path.exists(path):
            continue
        text = _read(path)
        found += mentions_in(text, os.path.relpath(path, root), cxx_lexer.Lines(text).place)
    return found


class PublicScopes:
    """Which names the public headers declare as namespaces and as enums.

    A using-declaration names a namespace member or an enumerator at namespace
    scope, but a class member only inside a derived class; so the declaration
    that checks fx::A::b depends on what A is.
    """

    def __init__(self, root):
        # Namespaces by their full path below fluxion (("scipy", "stats",
        # "norm")): one component alone would make fx::linalg::norm, a
        # function, look like the namespace fx::scipy::stats::norm.
        self.namespaces, self.enums = set(), set()
        pattern = os.path.join(root, "include", "fluxion", "**", "*.hpp")
        for path in glob.glob(pattern, recursive=True):
            code = re.sub(r"//[^\n]*|/\*.*?\*/", "", _read(path), flags=re.S)
            stack = []  # (depth at which the namespace opened, its components)
            depth = 0
            for m in re.finditer(r"\bnamespace\s+([\w:]+)\s*\{|[{}]", code):
                if m.group(1):
                    parts = tuple(m.group(1).split("::"))
                    if parts[0] == "fluxion":
                        parts = parts[1:]
                    outer = stack[-1][1] if stack else ()
                    stack.append((depth, outer + parts))
                    self.namespaces.add(outer + parts)
                    depth += 1
                elif m.group(0) == "{":
                    depth += 1
                else:
                    depth -= 1
                    if stack and stack[-1][0] == depth:
                        stack.pop()
            for m in re.finditer(r"\benum\s+(?:class\s+|struct\s+)?(\w+)", code):
                self.enums.add(m.group(1))
        self.namespaces.discard(())

    def declaration(self, name):
        """The declaration of `name`, as the text before and after its last component."""
        scope = "::".join(("fluxion",) + name[:-1]) + "::"
        if tuple(name) in self.namespaces:
            return f"namespace alias = {scope}", ";"
        if len(name) == 1 or tuple(name[:-1]) in self.namespaces or name[-2] in self.enums:
            return f"using {scope}", ";"
        return f"struct probe : {scope[:-2]} {{ using {scope}", "; };"


def _cxx_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_declarations(root, mentions, scopes, out_path, function):
    lines = [
        f"// Generated by tests/names/collect_names.py from {root}; not committed.",
        "// Each declaration stands where its name is mentioned (#line), so a name",
        "// that include/fluxion lacks fails the build at the mention.",
        '#include "fluxion/fluxion.hpp"',
        '#include "mention.hpp"',
        "",
        "namespace fluxion_names {",
    ]
    for i, m in enumerate(mentions):
        # The name starts a line of its own at the mention's column, so that
        # the compiler's caret, under the mention's line, points at it.
        at = f"#line {m.line} {_cxx_string(os.path.join(root, m.path))}"
        before, after = scopes.declaration(m.name)
        lines += [at, f"namespace mention_{i} {{ {before}", at, " " * (m.column - 1) + m.name[-1] + after + " }"]
    lines.append(f'#line {len(lines) + 2} "{os.path.basename(out_path)}"')
    lines.append(f"std::span<const Mention> {function}() {{")
    lines.append("  static const Mention all[] = {")
    for m in mentions:
        lines.append(f"      {{{_cxx_string(m.spelled())}, {_cxx_string(m.path)}, {m.line}}},")
    lines.append("      {nullptr, nullptr, 0}};")
    lines.append("  return std::span<const Mention>(all, std::size(all) - 1);")
    lines.append("}")
    lines.append("}  // namespace fluxion_names")
    text = "\n".join(lines) + "\n"
    # Unchanged output keeps its timestamp, so an edit elsewhere recompiles nothing.
    if not os.path.exists(out_path) or _read(out_path) != text:
        with open(out_path, "w", encoding="utf-8") as f:
            f.write(text)


# --- file paths -----------------------------------------------------------

_URL = re.compile(r"\b[a-z]+://\S+")
_PATH_TOKEN = re.compile(r"(?<![\w./~:@$-])((?:\.\.?/)*[\w*][\w.*-]*(?:/[\w.*-]+)*/?)")
_EXTENSION = re.compile(r"\.[A-Za-z*][\w*]*$")
_MARKDOWN_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
_SKIPPED_DIRS = {".git", "build"}


class Repository:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.top = {e for e in os.listdir(self.root) if e not in _SKIPPED_DIRS and not e.startswith(".")}
        self.files, self.dirs = set(), set()
        for directory, subdirs, names in os.walk(self.root):
            subdirs[:] = [d for d in subdirs if d not in _SKIPPED_DIRS and not d.startswith(".")]
            rel = os.path.relpath(directory, self.root)
            for d in subdirs:
                self.dirs.add(os.path.normpath(os.path.join(rel, d)))
            for n in names:
                self.files.add(os.path.normpath(os.path.join(rel, n)))
        self.dir_names = {os.path.basename(d) for d in self.dirs}

    def inside(self, path):
        return path == self.root or path.startswith(self.root + os.sep)

    def exists(self, path):
        rel = os.path.relpath(path, self.root)
        if "*" in rel:
            return bool(glob.glob(os.path.join(self.root, rel)))
        return rel.rstrip("/") in self.files or os.path.normpath(rel) in self.dirs

    def has_suffix(self, token):
        """Whether some repository path ends with token (kernels/gemm.hpp)."""
        token = token.rstrip("/")
        return any(p == token or p.endswith("/" + token) for p in self.files | self.dirs)


def path_tokens(text, is_markdown):
    """Candidate repository paths: tokens with a '/' and an extension or a
    trailing '/', relative ones (../x), and markdown link targets."""
    text = _URL.sub(" ", text)
    for m in _PATH_TOKEN.finditer(text):
        token = m.group(1).rstrip(".")
        if "/" not in token.rstrip("/"):
            continue
        last = token.rstrip("/").split("/")[-1]
        if token.endswith("/") or token.startswith("../") or _EXTENSION.search(last):
            yield m.start(1), token
    if is_markdown:
        for m in _MARKDOWN_LINK.finditer(text):
            if not _URL.match(m.group(1)):
                yield m.start(1), "./" + m.group(1) if "/" not in m.group(1) else m.group(1)


def path_problem(repo, token, mentioning_file):
    """Why `token`, mentioned in mentioning_file, is not a repository path
    (None when it is one, or when it names another project's file)."""
    if token.startswith("build/"):
        return None  # a build output, made by building
    here = os.path.dirname(os.path.join(repo.root, mentioning_file))
    relative = token.startswith(("./", "../"))
    bases = [here] if relative else [repo.root, here, os.path.join(repo.root, "include")]
    outside = False
    for base in bases:
        path = os.path.normpath(os.path.join(base, token))
        if not repo.inside(path):
            outside = True
        elif repo.exists(path):
            return None
    if outside:
        return "is outside the repository"
    first = token.split("/")[0]
    if relative or first in repo.top:
        return "does not exist"
    if first in repo.dir_names:
        return None if repo.has_suffix(token) else "does not exist"
    return None  # another project's path (xla/..., unsupported/Eigen/...)


def path_mentions(root):
    """(file, line, token) for each candidate path in the documents and in the
    comments of the public headers."""
    found = []
    for path in document_sources(root):
        if os.path.exists(path):
            text = _read(path)
            lines = cxx_lexer.Lines(text)
            for offset, token in path_tokens(text, True):
                found.append((os.path.relpath(path, root), lines.place(offset)[0], token))
    for path in sorted(glob.glob(os.path.join(root, "include", "fluxion", "*.hpp"))):
        _, comments = cxx_lexer.lex(_read(path))
        for comment in comments:
            for offset, token in path_tokens(comment.text, False):
                found.append((os.path.relpath(path, root), comment.line_at(offset), token))
    return list(dict.fromkeys(found))  # a link's target is also a path token


def check_paths(root):
    repo = Repository(root)
    mentions = path_mentions(root)
    failures = []
    for file, line, token in mentions:
        problem = path_problem(repo, token, file)
        if problem:
            failures.append(f"{file}:{line}: {token} {problem}")
    print(f"{len(mentions)} path mentions checked in {len(document_sources(root))} documents and include/fluxion")
    for f in failures:
        print(f)
    return 1 if failures or not mentions else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "declarations":
        root, out_dir = os.path.abspath(argv[2]), argv[3]
        scopes = PublicScopes(root)
        messages, comments = source_mentions(root)
        documents = document_mentions(root)
        write_declarations(root, messages, scopes, os.path.join(out_dir, "messages_names.cpp"), "message_mentions")
        write_declarations(root, comments, scopes, os.path.join(out_dir, "comments_names.cpp"), "comment_mentions")
        write_declarations(root, documents, scopes, os.path.join(out_dir, "docs_names.cpp"), "document_mentions")
        return 0
    if len(argv) == 3 and argv[1] == "paths":
        return check_paths(os.path.abspath(argv[2]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
