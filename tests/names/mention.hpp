// A name that a message or a document mentions, where collect_names.py found it.
#pragma once

#include <span>

namespace fluxion_names {

struct Mention {
  const char* name;  // below fluxion::, e.g. "random::key" or "TreeDef::dict"
  const char* path;  // relative to the repository root
  int line;
};

// Defined in the generated messages_names.cpp, comments_names.cpp and docs_names.cpp.
std::span<const Mention> message_mentions();  // string literals of src/ and include/fluxion/
std::span<const Mention> comment_mentions();  // their comments
std::span<const Mention> document_mentions();  // README.md, docs/*.md

}  // namespace fluxion_names
