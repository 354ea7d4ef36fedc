// The build already checked that every mentioned name is declared (the
// generated files do not compile otherwise). These tests check the collection
// itself: were it to find nothing (a broken pattern, a moved directory), that
// check would pass without checking anything.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <string_view>

#include "mention.hpp"

namespace {

using fluxion_names::Mention;

bool mentioned(std::span<const Mention> all, std::string_view name, std::string_view path_prefix) {
  for (const Mention& m : all)
    if (m.name == name && std::string_view(m.path).starts_with(path_prefix)) return true;
  return false;
}

// The text of line `line` of a repository file ("" past its end).
std::string source_line(const char* path, int line) {
  std::ifstream in(std::string(FLUXION_SOURCE_DIR) + "/" + path);
  std::string text;
  for (int i = 0; i < line && std::getline(in, text); ++i) {
  }
  return in ? text : std::string();
}

// Each mention points at a line that spells the name (its last component:
// "fx::jacfwd/jacrev" spells jacrev but not fx::jacrev).
void expect_located(std::span<const Mention> all) {
  for (const Mention& m : all) {
    const std::string_view name(m.name);
    const std::string_view last = name.substr(name.rfind(':') == std::string_view::npos ? 0 : name.rfind(':') + 1);
    EXPECT_NE(source_line(m.path, m.line).find(last), std::string::npos) << m.path << ":" << m.line << ": " << name;
  }
}

TEST(Mentions, MessagesMentionWhatTheyRecommend) {
  const auto all = fluxion_names::message_mentions();
  ASSERT_GT(all.size(), 20u);
  EXPECT_TRUE(mentioned(all, "cond", "src/"));                  // "Use fx::where (or fx::cond) instead..."
  EXPECT_TRUE(mentioned(all, "while_loop", "src/"));
  EXPECT_TRUE(mentioned(all, "random::key", "src/random/"));    // a namespace member
  EXPECT_TRUE(mentioned(all, "TreeDef::dict", "src/core/"));    // a class member
  EXPECT_TRUE(mentioned(all, "Array::astype", "src/"));         // spelled x.astype(...)
  EXPECT_TRUE(mentioned(all, "jacrev", "include/fluxion/"));    // second of "fx::jacfwd/jacrev"
  expect_located(all);
}

TEST(Mentions, CommentsMentionTheApi) {
  const auto all = fluxion_names::comment_mentions();
  ASSERT_GT(all.size(), 20u);
  EXPECT_TRUE(mentioned(all, "grad", "include/fluxion/"));
  EXPECT_TRUE(mentioned(all, "none", "include/fluxion/"));
  expect_located(all);
}

TEST(Mentions, DocumentsMentionTheApi) {
  const auto all = fluxion_names::document_mentions();
  ASSERT_GT(all.size(), 20u);
  EXPECT_TRUE(mentioned(all, "grad", "README.md"));
  EXPECT_TRUE(mentioned(all, "jit", "docs/"));
  expect_located(all);
}

}  // namespace
