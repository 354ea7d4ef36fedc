"""The collector's own cases: what counts as a mention, and what does not."""

import contextlib
import io
import os
import tempfile
import unittest

import collect_names
import cxx_lexer

SOURCE = r'''
#include "fx::in_an_include.hpp"
// "fx::in_a_comment" is prose, not a message
/* fx::in_a_block_comment */
const char q = '"';  // a quote character, not a string
const long n = 1'000'000;  // digit separators, not character literals
void f(const char* name) {
  throw Error("use fx::where or "
              "fx::cond; " "fx::random::key");
  throw Error(R"raw(fx::raw_string ")" still inside)raw");
  throw Error(u8"fx::prefixed");
  throw Error(std::string("fx::") + name);  // built at run time: not seen
  throw Error("fx::grad<argnum>: fx::jacfwd/jacrev/hessian, x.astype(fx::float64), myfx::not_ours");
  throw Error("escaped \" fx::after_escape");
  throw Error("fx::max/fx::min reject them");
}
'''


def names(mentions):
    return [(m.spelled(), m.line) for m in mentions]


def column_of(m):
    return SOURCE.split("\n")[m.line - 1].index(m.name[-1], m.column - 1) + 1


class Messages(unittest.TestCase):
    def mentions(self):
        literals, _ = cxx_lexer.lex(SOURCE)
        found = []
        for literal in literals:
            found += collect_names.mentions_in(literal.text, "f.cpp", literal.place_at, member_calls=True)
        return found

    def test_literals_only_joined_and_located(self):
        self.assertEqual(names(self.mentions()), [
            ("where", 8), ("cond", 9), ("random::key", 9), ("raw_string", 10), ("prefixed", 11),
            ("grad", 13), ("jacfwd", 13), ("jacrev", 13), ("hessian", 13), ("float64", 13),
            ("Array::astype", 13), ("after_escape", 14), ("max", 15), ("min", 15)])

    def test_columns_point_at_the_last_component(self):
        for m in self.mentions():
            self.assertEqual(m.column, column_of(m), m.spelled())
        self.assertEqual([m.column for m in self.mentions() if m.line == 15], [20, 28])

    def test_member_calls_only_in_messages(self):
        text = "| `x.tolist()` | `x.to_vector<double>()`, fx::repr(x) |"
        self.assertEqual(names(collect_names.mentions_in(text, "A.md", lambda offset: (1, offset + 1))), [("repr", 1)])

    def test_comments_are_kept_apart(self):
        _, comments = cxx_lexer.lex(SOURCE)
        self.assertEqual([c.line_at(0) for c in comments][:2], [3, 4])
        self.assertIn("fx::in_a_comment", comments[0].text)

    def test_unterminated_literal_is_an_error(self):
        with self.assertRaises(SyntaxError):
            cxx_lexer.lex('const char* s = "no end;\n')


class Declarations(unittest.TestCase):
    def setUp(self):
        self.scopes = collect_names.PublicScopes.__new__(collect_names.PublicScopes)
        self.scopes.namespaces = {("random",), ("nn",), ("linalg",), ("scipy",), ("scipy", "stats"),
                                  ("scipy", "stats", "norm")}
        self.scopes.enums = {"DType"}

    def test_each_kind_of_name(self):
        def d(name):
            before, after = self.scopes.declaration(name)
            return before + name[-1] + after
        self.assertEqual(d(("cond",)), "using fluxion::cond;")
        self.assertEqual(d(("random", "key")), "using fluxion::random::key;")
        self.assertEqual(d(("random",)), "namespace alias = fluxion::random;")
        self.assertEqual(d(("DType", "float32")), "using fluxion::DType::float32;")
        self.assertEqual(d(("TreeDef", "dict")),
                         "struct probe : fluxion::TreeDef { using fluxion::TreeDef::dict; };")
        # A function named like a namespace elsewhere is still a function.
        self.assertEqual(d(("linalg", "norm")), "using fluxion::linalg::norm;")
        self.assertEqual(d(("scipy", "stats", "norm")), "namespace alias = fluxion::scipy::stats::norm;")

    def test_namespaces_are_read_with_their_nesting(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "include", "fluxion", "lax"))
            with open(os.path.join(root, "include", "fluxion", "scipy.hpp"), "w") as f:
                f.write("namespace fluxion::scipy {\nnamespace stats {\n// { a brace in a comment\n"
                        "namespace norm { int pdf(); }\n}\nstruct S { int f() { return 0; } };\n}\n"
                        "namespace fluxion { namespace linalg {} }\n")
            with open(os.path.join(root, "include", "fluxion", "lax", "linalg.hpp"), "w") as f:
                f.write("namespace fluxion::lax::linalg {}\n")
            scopes = collect_names.PublicScopes(root)
            self.assertEqual(scopes.namespaces, {("scipy",), ("scipy", "stats"), ("scipy", "stats", "norm"),
                                                 ("linalg",), ("lax", "linalg")})


class Paths(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        root = self.dir.name
        for path in ["README.md", "docs/A.md", "include/fluxion/nn.hpp", "src/kernels/gemm.hpp", "build/x.txt"]:
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            open(os.path.join(root, path), "w").close()
        self.repo = collect_names.Repository(root)

    def tearDown(self):
        self.dir.cleanup()

    def problems(self, text, file="README.md"):
        return [(token, collect_names.path_problem(self.repo, token, file))
                for _, token in collect_names.path_tokens(text, file.endswith(".md"))]

    def test_tokens(self):
        text = "See docs/A.md, src/kernels/ and [a](A.md); and/or x/2; https://github.com/a/b.md."
        self.assertEqual([t for _, t in collect_names.path_tokens(text, True)],
                         ["docs/A.md", "src/kernels/", "./A.md"])

    def test_existing_paths_pass(self):
        self.assertEqual(self.problems("docs/A.md include/fluxion/ fluxion/nn.hpp kernels/gemm.hpp src/*/gemm.hpp"),
                         [(t, None) for t in ["docs/A.md", "include/fluxion/", "fluxion/nn.hpp",
                                              "kernels/gemm.hpp", "src/*/gemm.hpp"]])
        self.assertEqual(self.problems("[b](A.md)", "docs/B.md"), [("./A.md", None)])

    def test_missing_and_outside_paths_fail(self):
        self.assertEqual(self.problems("docs/B.md ../shared/DESIGN.md kernels/gemm2.hpp"), [
            ("docs/B.md", "does not exist"), ("../shared/DESIGN.md", "is outside the repository"),
            ("kernels/gemm2.hpp", "does not exist")])
        self.assertEqual(self.problems("[b](B.md)", "docs/A.md"), [("./B.md", "does not exist")])

    def test_check_reports_file_and_line(self):
        with open(os.path.join(self.dir.name, "README.md"), "w") as f:
            f.write("# Title\nSee docs/A.md\nand [b](docs/B.md).\n")
        with open(os.path.join(self.dir.name, "include/fluxion/nn.hpp"), "w") as f:
            f.write('#include "fluxion/gone.hpp"\n// see ../../../outside.md\nconst char* s = "docs/C.md";\n')
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(collect_names.check_paths(self.dir.name), 1)
        self.assertEqual(out.getvalue().splitlines()[1:], [
            "README.md:3: docs/B.md does not exist",
            "include/fluxion/nn.hpp:2: ../../../outside.md is outside the repository"])

    def test_build_outputs_and_other_projects_are_not_checked(self):
        self.assertEqual(self.problems("build/bench/tables.md xla/codegen/intrinsic/exp.cc"),
                         [("build/bench/tables.md", None), ("xla/codegen/intrinsic/exp.cc", None)])


if __name__ == "__main__":
    unittest.main()
