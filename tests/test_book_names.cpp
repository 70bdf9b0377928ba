// Every nn:: name the book's prose cites (in a code span, outside the quoted code) is declared in
// the shared code, common/ or datasets/: a reader who looks `nn::softmax` up finds it.
#define BOOST_TEST_MODULE book_names
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "tests/book_text.hpp"

namespace fs = std::filesystem;
using nn::testing::read_text;

namespace {

const fs::path kSource = NN_SOURCE_DIR;

// A name the prose cites: "sigmoid" for `nn::sigmoid(Z)`, "Activation::relu".
struct Citation {
  int line;
  std::string name;
};

// The nn:: names in the prose's code spans (a span may wrap a line; fenced code is not prose).
std::vector<Citation> cited_names(const std::string& markdown) {
  static const std::regex code_span("(`+)([^`]+?)\\1");
  static const std::regex nn_name(R"(\bnn::(\w+(?:::\w+)*))");
  std::vector<Citation> names;
  for (const auto& paragraph : nn::testing::prose_paragraphs(markdown)) {
    const std::string& text = paragraph.text;
    for (std::sregex_iterator span(text.begin(), text.end(), code_span), end; span != end; ++span) {
      const std::string code = (*span)[2];
      const auto line = paragraph.number + std::count(text.begin(), (*span)[2].first, '\n');
      for (std::sregex_iterator it(code.begin(), code.end(), nn_name); it != end; ++it)
        names.push_back({static_cast<int>(line), (*it)[1]});
    }
  }
  return names;
}

// C++ source without its comments and the contents of its string and character literals.
std::string code_only(const std::string& source) {
  std::string code;
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (source.compare(i, 2, "//") == 0) {
      i = std::min(source.find('\n', i), source.size()) - 1;
    } else if (source.compare(i, 2, "/*") == 0) {
      i = std::min(source.find("*/", i), source.size()) + 1;
    } else if (source[i] == '"' ||
               (source[i] == '\'' &&
                (i == 0 || !std::isalnum(static_cast<unsigned char>(source[i - 1]))))) {
      // (a quote after a digit separates digits: 1'000)
      const char quote = source[i];
      code += quote;
      for (++i; i < source.size() && source[i] != quote; ++i)
        if (source[i] == '\\') ++i;
      code += quote;
    } else {
      code += source[i];
    }
  }
  return code;
}

// What a scope declares itself: its text with the inside of every inner { … } left out, so that
// neither function bodies nor nested classes count.
std::string own_level(const std::string& scope) {
  std::string kept;
  int depth = 0;
  for (char c : scope) {
    if (c == '}') --depth;
    if (depth == 0) kept += c;
    if (c == '{') ++depth;
  }
  return kept;
}

// The inside of every `KEYWORD NAME … { … }` in `code` (KEYWORD: namespace, struct, class, enum).
std::vector<std::string> bodies(const std::string& code, const std::string& name) {
  const std::regex head("\\b(?:namespace|struct|class|union|enum(?:\\s+class)?)\\s+" + name +
                        "\\b[^;{]*\\{");
  std::vector<std::string> found;
  for (std::sregex_iterator it(code.begin(), code.end(), head), end; it != end; ++it) {
    const auto open = static_cast<std::size_t>(it->position() + it->length());
    int depth = 1;
    std::size_t close = open;
    for (; close < code.size() && depth > 0; ++close)
      depth += (code[close] == '{') - (code[close] == '}');
    found.push_back(code.substr(open, close - 1 - open));
  }
  return found;
}

// Whether one level of a scope declares `name`: a type, an alias, a function or a variable.
bool declares(const std::string& level, const std::string& name) {
  const std::regex declaration(
      "\\b(?:namespace|struct|class|union|enum(?:\\s+class)?|using|concept)\\s+" + name +
      "\\b|[\\w>*&]\\s+" + name + "\\s*[({=;\\[]");
  return std::regex_search(level, declaration);
}

// Whether the headers declare nn::`name`. A member (Activation::relu) must be named at its
// class's or enum's own level.
bool declared(const std::vector<std::string>& headers, const std::string& name) {
  std::vector<std::string> parts;
  for (std::size_t from = 0, to = 0; to != std::string::npos; from = to + 2) {
    to = name.find("::", from);
    parts.push_back(name.substr(from, to == std::string::npos ? to : to - from));
  }
  for (const std::string& header : headers) {
    for (const std::string& nn : bodies(code_only(header), "nn")) {
      if (!declares(own_level(nn), parts[0])) continue;
      if (parts.size() == 1) return true;
      for (const std::string& body : bodies(nn, parts[0]))
        if (std::regex_search(own_level(body), std::regex("\\b" + parts[1] + "\\b"))) return true;
    }
  }
  return false;
}

std::vector<std::string> shared_headers() {
  std::vector<std::string> headers;
  for (const char* dir : {"common/nn", "common/plumbing", "datasets"})
    for (const auto& entry : fs::directory_iterator(kSource / dir))
      if (entry.path().extension() == ".hpp") headers.push_back(read_text(entry.path()));
  return headers;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_nn_name_the_book_cites_is_declared) {
  const auto headers = shared_headers();
  BOOST_TEST_REQUIRE(headers.size() >= 20u);
  const auto names = cited_names(read_text(kSource / "book.md"));
  for (const Citation& citation : names)
    BOOST_TEST(declared(headers, citation.name),
               "book.md:" << citation.line << ": nn::" << citation.name
                          << " is declared in no header of common/ or datasets/");
  BOOST_TEST(names.size() >= 30u);
}

// The check on a small text and header: it fails on a name the header does not declare.
BOOST_AUTO_TEST_CASE(a_name_the_code_lacks_fails) {
  const std::string header = R"(// nn::in_a_comment()
namespace nn {
enum class Activation { sigmoid, relu };
struct Neuron {
  double b = 0;
};
template <typename eT>
arma::Mat<eT> relu(const arma::Mat<eT>& Z) {
  return called_not_declared(Z);
}
const char* kText = "nn::in_a_string";
inline constexpr int kMillion = 1'000'000;
namespace detail {
void hidden();
}
}  // namespace nn
)";
  const std::string text =
      "Call `nn::relu(Z)`, `nn::Activation::relu` and `nn::Neuron`,\n"
      "not `nn::softplus` nor `nn::Activation::tanh`; nn::free_text\n"
      "and\n\n```cpp\nnn::in_quoted_code();\n```\n";
  const auto names = cited_names(text);
  std::vector<std::string> cited;
  for (const Citation& citation : names) cited.push_back(citation.name);
  const std::vector<std::string> expected = {"relu", "Activation::relu", "Neuron", "softplus",
                                             "Activation::tanh"};
  BOOST_TEST(cited == expected, boost::test_tools::per_element());
  BOOST_TEST(names.at(3).line == 2);
  const std::vector<std::string> headers = {header};
  BOOST_TEST(declared(headers, "relu"));
  BOOST_TEST(declared(headers, "Activation::relu"));
  BOOST_TEST(declared(headers, "Neuron"));
  BOOST_TEST(declared(headers, "Activation"));
  BOOST_TEST(declared(headers, "Neuron::b"));
  BOOST_TEST(declared(headers, "kMillion"));
  // a name the book would cite wrongly: this check would fail on it
  BOOST_TEST(!declared(headers, "softplus"));
  BOOST_TEST(!declared(headers, "Activation::tanh"));
  // a call is no declaration, nor is a name in a comment, a string or a nested namespace
  BOOST_TEST(!declared(headers, "called_not_declared"));
  BOOST_TEST(!declared(headers, "in_a_comment"));
  BOOST_TEST(!declared(headers, "in_a_string"));
  BOOST_TEST(!declared(headers, "hidden"));
}
