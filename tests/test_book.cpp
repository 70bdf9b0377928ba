// book.md quotes the code, the numbers and the figures of the current tree (tests/book_check.hpp).
#define BOOST_TEST_MODULE book
#include <boost/test/unit_test.hpp>

#include "tests/book_check.hpp"
#include "tests/chapter_test.hpp"

namespace fs = std::filesystem;

namespace {

// A miniature tree: one source file with a marked excerpt, expected values and a figure.
fs::path mini_tree() {
  const fs::path root = nn::testing::fresh_dir("book");
  fs::create_directories(root / "src");
  fs::create_directories(root / "expected");
  std::ofstream(root / "src/a.cpp") << "int f() {\n  // [book:body]\n  int x = 1;\n\n"
                                       "  return x;\n  // [/book:body]\n}\n";
  std::ofstream(root / "expected/ch09.json") << R"({"accuracy": 97.456, "steps": [10, 20]})";
  // other processors print accuracies up to 0.0008 away; the second step alike everywhere
  fs::create_directories(root / "expected/spread");
  std::ofstream(root / "expected/spread/ch09.json")
      << R"({"spread": {"/accuracy": 0.0008, "/steps/1": 0.0}, "min": {"/accuracy": 97.4552},
             "max": {"/accuracy": 97.4568}})";
  std::ofstream(root / "fig.png") << "png";
  return root;
}

std::vector<std::string> check_text(const fs::path& root, const std::string& book) {
  std::ofstream(root / "book.md") << book;
  return nn::book::check(root / "book.md", root, root / "expected");
}

const std::string kGoodExcerpt =
    "*src/a.cpp*\n<!-- code: src/a.cpp#body -->\n```cpp\nint x = 1;\n\nreturn x;\n```\n";

}  // namespace

BOOST_AUTO_TEST_CASE(the_book_agrees_with_the_tree) {
  const auto problems = nn::book::check(fs::path(NN_SOURCE_DIR) / "book.md", NN_SOURCE_DIR,
                                        fs::path(NN_TESTS_DIR) / "expected");
  for (const auto& p : problems) BOOST_ERROR(p);
}

BOOST_AUTO_TEST_CASE(a_faithful_mini_book_passes) {
  const fs::path root = mini_tree();
  const auto problems =
      check_text(root, kGoodExcerpt +
                           "Accuracy <!--n ch09/accuracy-->97.5<!--/n--> %, "
                           "<!--n ch09/steps/1-->20<!--/n--> steps. ![a figure](fig.png)\n");
  for (const auto& p : problems) BOOST_ERROR(p);
}

BOOST_AUTO_TEST_CASE(an_excerpt_edited_on_one_side_fails) {
  const fs::path root = mini_tree();
  BOOST_TEST(
      check_text(
          root,
          "*src/a.cpp*\n<!-- code: src/a.cpp#body -->\n```cpp\nint x = 2;\n\nreturn x;\n```\n")
          .size() == 1u);
  std::ofstream(root / "src/a.cpp") << "// [book:body]\nint x = 3;\n\nreturn x;\n// [/book:body]\n";
  BOOST_TEST(check_text(root, kGoodExcerpt).size() == 1u);
}

BOOST_AUTO_TEST_CASE(missing_markers_numbers_and_figures_fail) {
  const fs::path root = mini_tree();
  BOOST_TEST(
      check_text(root, "*src/a.cpp*\n<!-- code: src/a.cpp#nothere -->\n```cpp\n```\n").size() ==
      1u);
  BOOST_TEST(
      check_text(root, "*src/gone.cpp*\n<!-- code: src/gone.cpp#body -->\n```cpp\n```\n").size() ==
      1u);
  // an excerpt without its file's caption, or captioned with another file
  BOOST_TEST(check_text(root, kGoodExcerpt.substr(kGoodExcerpt.find('\n') + 1)).size() == 1u);
  BOOST_TEST(
      check_text(root, "*src/b.cpp*\n" + kGoodExcerpt.substr(kGoodExcerpt.find('\n') + 1)).size() ==
      1u);
  BOOST_TEST(check_text(root, "x <!--n ch09/accuracy-->97.4<!--/n-->").size() == 1u);
  BOOST_TEST(check_text(root, "x <!--n ch09/accuracy-->97.46<!--/n-->").empty());
  BOOST_TEST(check_text(root, "x <!--n ch09/missing-->1<!--/n-->").size() == 1u);
  BOOST_TEST(check_text(root, "x <!--n ch08/accuracy-->1<!--/n-->").size() == 1u);
  BOOST_TEST(check_text(root, "![gone](nothere.png)").size() == 1u);
  BOOST_TEST(check_text(root, "right\n<!--n ch09/accuracy-->97.5<!--/n--> %").size() == 1u);
  BOOST_TEST(check_text(root, "> right\n> <!--n ch09/accuracy-->97.5<!--/n--> %").size() == 1u);
}

// A number quoted with more digits than every processor prints alike, or with no recorded spread.
BOOST_AUTO_TEST_CASE(digits_other_processors_print_differently_fail) {
  const fs::path root = mini_tree();
  BOOST_TEST(check_text(root, "x <!--n ch09/accuracy-->97.456<!--/n-->").size() == 1u);
  BOOST_TEST(check_text(root, "x <!--n ch09/accuracy-->97.46<!--/n-->").empty());
  BOOST_TEST(check_text(root, "x <!--n ch09/steps/0-->10<!--/n-->").size() == 1u);
  // the range of the kernels' values, where they differ
  BOOST_TEST(check_text(root,
                        "from <!--n ch09/accuracy@min-->97.4552<!--/n--> to "
                        "<!--n ch09/accuracy@max-->97.457<!--/n-->")
                 .empty());
  BOOST_TEST(check_text(root, "x <!--n ch09/accuracy@max-->97.4552<!--/n-->").size() == 1u);
  BOOST_TEST(check_text(root, "x <!--n ch09/steps/1@min-->20<!--/n-->").size() == 1u);
  fs::remove(root / "expected/spread/ch09.json");
  BOOST_TEST(check_text(root, "x <!--n ch09/steps/1-->20<!--/n-->").size() == 1u);
}
