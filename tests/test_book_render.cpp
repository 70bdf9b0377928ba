// The book renders right in both places a reader meets it: as the web book (pandoc, through
// cmake/book_site.lua) and on GitHub (cmark-gfm, GitHub's own Markdown renderer).
#define BOOST_TEST_MODULE book_render
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/book_text.hpp"
#include "tests/chapter_test.hpp"

namespace fs = std::filesystem;
using nn::testing::Line;
using nn::testing::prose_paragraphs;
using nn::testing::read_text;

namespace {

const fs::path kSource = NN_SOURCE_DIR;

// Runs a shell command; its exit status.
int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool have(const std::string& tool) {
  return shell("command -v " + tool + " > /dev/null 2>&1") == 0;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

// Inline math $…$ (not $`…`$), as the book writes it: no space inside either dollar.
const std::regex kInlineMath(R"((^|[^$\\`])\$(?!\$)(?!`)([^$\s](?:[^$]*[^$\s])?)\$(?!\$))");

// An inline formula: the line it starts on, the character before it and its TeX.
struct Formula {
  int line;
  std::string before;
  std::string tex;
};

// Every inline formula outside code blocks, those that wrap onto the next line whole.
std::vector<Formula> inline_formulas(const std::string& book) {
  std::vector<Formula> formulas;
  for (const Line& paragraph : prose_paragraphs(book)) {
    const std::string& text = paragraph.text;
    for (std::sregex_iterator it(text.begin(), text.end(), kInlineMath), end; it != end; ++it) {
      const auto breaks = std::count(text.begin(), text.begin() + it->position(2), '\n');
      formulas.push_back({paragraph.number + static_cast<int>(breaks), (*it)[1], (*it)[2]});
    }
  }
  return formulas;
}

// A formula as GitHub's renderer must receive it to show it right: as written, escaped as HTML.
std::string as_written(const Formula& formula) {
  std::string text = "$";  // (built in steps: GCC 12 warns wrongly on a + chain)
  text += html_escape(formula.tex);
  text += '$';
  return text;
}

// `html` with every region from `open` to the end of the next `close` replaced by a space.
std::string without(const std::string& html, const std::string& open, const std::string& close) {
  std::string kept;
  std::size_t from = 0;
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, from)) {
    kept.append(html, from, at - from).push_back(' ');
    const auto end = html.find(close, at + open.size());
    if (end == std::string::npos) return kept;
    from = end + close.size();
  }
  return kept.append(html, from, std::string::npos);
}

// The visible text of a page: without code, math, comments, style and tags. (Plain searches,
// not std::regex: its recursion overflows the stack on whole pages under AddressSanitizer.)
std::string visible_text(std::string html) {
  for (const char* tag : {"pre", "code", "math", "style"})
    html = without(html, std::string("<") + tag, std::string("</") + tag + ">");
  html = without(html, "<!--", "-->");
  return without(html, "<", ">");
}

// The web book, built once per run by pandoc through cmake/book_site.lua into a fresh folder.
const fs::path& web_book() {
  static const fs::path site = [] {
    BOOST_REQUIRE_MESSAGE(have("pandoc"), "pandoc is not installed (./run.sh test installs it)");
    const fs::path dir = nn::testing::fresh_dir("book-site");
    const std::string command = "cd '" + kSource.string() +
                                "' && pandoc book.md --from gfm+tex_math_dollars "
                                "--lua-filter cmake/book_site.lua --metadata site_dir='" +
                                dir.string() + "' -t html -o /dev/null 2> '" +
                                (dir / "pandoc.log").string() + "'";
    BOOST_REQUIRE_MESSAGE(shell(command) == 0, "pandoc failed: " << read_text(dir / "pandoc.log"));
    return dir;
  }();
  return site;
}

// The web book's pages: file name → HTML.
std::map<std::string, std::string> web_pages() {
  std::map<std::string, std::string> pages;
  for (const auto& entry : fs::directory_iterator(web_book()))
    if (entry.path().extension() == ".html")
      pages[entry.path().filename().string()] = read_text(entry.path());
  return pages;
}

// Markdown as GitHub shows it: cmark-gfm with GitHub's extensions.
std::string github_render(const fs::path& markdown) {
  BOOST_REQUIRE_MESSAGE(have("cmark-gfm"),
                        "cmark-gfm is not installed (./run.sh test installs it)");
  const fs::path html_file = markdown.parent_path() / (markdown.stem().string() + ".html");
  BOOST_REQUIRE(shell("cmark-gfm --unsafe -e table -e autolink -e strikethrough '" +
                      markdown.string() + "' > '" + html_file.string() + "'") == 0);
  return read_text(html_file);
}

// book.md as GitHub shows it, made once per run.
const std::string& github_html() {
  static const std::string html = [] {
    const fs::path copy = nn::testing::fresh_dir("book-gfm") / "book.md";
    fs::copy_file(kSource / "book.md", copy);
    return github_render(copy);
  }();
  return html;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_web_book_builds_and_shows_no_markup) {
  const fs::path site = web_book();
  // pandoc warns about math it cannot turn into MathML: none
  BOOST_TEST(read_text(site / "pandoc.log").find("WARNING") == std::string::npos,
             read_text(site / "pandoc.log"));
  const auto pages = web_pages();
  for (const auto& [name, html] : pages) {
    BOOST_TEST_CONTEXT(name) {
      // number markers are dropped, and none sits inside math (where it would show as text)
      BOOST_TEST(html.find("<!--n") == std::string::npos);
      BOOST_TEST(html.find("&lt;!--n") == std::string::npos);
      const std::string text = visible_text(html);
      // (headings' math too, in every list of contents: "^{" is TeX that was not rendered)
      for (const std::string leftover : {"$", "\\\\", "\\frac", "\\,", "^{", "_{"}) {
        const auto at = text.find(leftover);
        BOOST_TEST(
            at == std::string::npos,
            "'" << leftover << "' outside math and code: …"
                << text.substr(at == std::string::npos ? 0 : at - std::min<size_t>(at, 60), 120)
                << "…");
      }
      // every picture the page shows is in the site
      static const std::regex image(R"re(<img src="([^"]+)")re");
      for (std::sregex_iterator it(html.begin(), html.end(), image), end; it != end; ++it)
        BOOST_TEST(fs::exists(site / (*it)[1].str()), (*it)[1].str() << " is missing");
      // the pages link to each other
      if (name != "index.html" && name != "book.html")
        BOOST_TEST(html.find("href=\"index.html\"") != std::string::npos);
    }
  }
  BOOST_TEST(pages.size() >= 9);  // the introduction, seven chapters, what comes next
}

// Chromium stretches brackets, braces and sums only with a math font, and sets a name in
// italics unless it is an operator (pandoc writes \mathrm{softmax} as an <mstyle> that
// Chromium ignores, \operatorname{softmax} as <mo>softmax</mo>).
BOOST_AUTO_TEST_CASE(math_has_a_font_and_upright_operator_names) {
  const auto pages = web_pages();
  for (const auto& [name, html] : pages) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(html.find(R"(math { font-family: "DejaVu Math TeX Gyre")") != std::string::npos);
      BOOST_TEST(html.find("<mstyle mathvariant=\"normal\">") == std::string::npos,
                 "upright text in math that Chromium sets in italics (write \\operatorname)");
    }
  }
  // the font is installed (Debian's fonts-dejavu-extra; ./run.sh book and test install it)
  if (have("fc-list"))
    BOOST_TEST(shell("fc-list 'DejaVu Math TeX Gyre' | grep -q .") == 0,
               "DejaVu Math TeX Gyre is not installed (apt-get install fonts-dejavu-extra)");
  // every operator name reaches both renderers: GitHub's MathJax as written, MathML as <mo>
  const std::string book = read_text(kSource / "book.md");
  std::string all_pages;
  for (const auto& page : pages) all_pages += page.second;
  static const std::regex operator_name(R"(\\operatorname\{([A-Za-z]+)\})");
  int names = 0;
  for (std::sregex_iterator it(book.begin(), book.end(), operator_name), end; it != end; ++it) {
    ++names;
    BOOST_TEST(github_html().find(it->str()) != std::string::npos, it->str());
    BOOST_TEST(all_pages.find("<mo>" + (*it)[1].str() + "</mo>") != std::string::npos, it->str());
  }
  BOOST_TEST(names >= 8);
}

BOOST_AUTO_TEST_CASE(code_is_highlighted) {
  int highlighted = 0;
  for (const auto& [name, html] : web_pages()) {
    BOOST_TEST_CONTEXT(name) {
      // pandoc's highlighting, and its style sheet, on every page that shows code
      BOOST_TEST(html.find("<pre class=\"cpp\">") == std::string::npos);
      if (html.find("<code class=\"sourceCode cpp\">") == std::string::npos) continue;
      ++highlighted;
      BOOST_TEST(html.find("<span class=\"op\">") != std::string::npos);
      BOOST_TEST(html.find("code span.kw {") != std::string::npos);
    }
  }
  BOOST_TEST(highlighted >= 10);  // every chapter quotes its code
}

// The first page shows the contents right after the book's opening paragraph, and every link
// in the book lands on a page and a heading that exist.
BOOST_AUTO_TEST_CASE(contents_come_first_and_every_link_lands) {
  const auto pages = web_pages();
  const std::string& index = pages.at("index.html");
  const auto contents = index.find("<nav class=\"contents\" id=\"contents\">");
  BOOST_TEST(contents < index.find("<h3"), "the contents come after the front matter");
  for (const auto& [name, html] : pages)
    BOOST_TEST(index.find("href=\"" + name + "\"", contents) != std::string::npos, name);
  static const std::regex link(R"re(href="([^"#:]*)(#([^"]*))?")re");
  int links = 0;
  for (const auto& [name, html] : pages) {
    for (std::sregex_iterator it(html.begin(), html.end(), link), end; it != end; ++it) {
      ++links;
      const std::string file = (*it)[1].length() > 0 ? (*it)[1].str() : name;
      // printed from book.html, and copied from common/web, by the build, not by pandoc
      if (file == "book.pdf" || file.rfind("playground/", 0) == 0) continue;
      BOOST_TEST_CONTEXT(name << ": " << it->str()) {
        BOOST_TEST_REQUIRE(pages.count(file) == 1);
        if ((*it)[3].matched)
          BOOST_TEST(pages.at(file).find("id=\"" + (*it)[3].str() + "\"") != std::string::npos);
      }
    }
  }
  BOOST_TEST(links > 500);
}

// book.html, what book.pdf is printed from: the whole book on one page, the contents first,
// then every page in order, the exercises' answers open.
BOOST_AUTO_TEST_CASE(the_whole_book_on_one_page) {
  const auto pages = web_pages();
  const std::string& book = pages.at("book.html");
  auto at = book.find("<nav class=\"contents\" id=\"contents\">");
  BOOST_TEST(at != std::string::npos);
  static const std::regex chapter_heading(R"re(<h2 id="[^"]+")re");
  int chapters = 0;
  for (const auto& [name, html] : pages) {  // chapter-01.html, chapter-02.html, … in order
    if (name.rfind("chapter-", 0) != 0) continue;
    ++chapters;
    std::smatch heading;
    BOOST_TEST_REQUIRE(std::regex_search(html, heading, chapter_heading));
    at = book.find(heading.str(), at);
    BOOST_TEST(at != std::string::npos, name << " is missing or out of order");
  }
  BOOST_TEST(chapters >= 10);
  BOOST_TEST(book.find("<details>") == std::string::npos);
  BOOST_TEST(book.find("<details open>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(github_keeps_every_formula) {
  const std::string& html = github_html();
  const std::string book = read_text(kSource / "book.md");
  // display math: ```math blocks, which GitHub shows as formulas and Markdown never alters; no
  // $$ blocks, whose \\, \, and \{ Markdown eats
  int display = 0;
  std::istringstream in(book);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    BOOST_TEST(line != "$$", "book.md:" << number << ": display math in $$ (use ```math)");
    display += line == "```math";
  }
  BOOST_TEST(display > 30);
  BOOST_TEST(html.find("<code class=\"language-math\">") != std::string::npos);
  // inline math: every $…$ reaches GitHub's renderer as written; formulas Markdown would alter,
  // and those right after "(", are written $`…`$
  const auto formulas = inline_formulas(book);
  for (const Formula& formula : formulas) {
    BOOST_TEST(
        html.find(as_written(formula)) != std::string::npos,
        "book.md:" << formula.line << ": GitHub alters $" << formula.tex << "$ (write $`…`$)");
    BOOST_TEST(formula.before != "(", "book.md:" << formula.line << ": $" << formula.tex
                                                 << "$ right after '(' (write $`…`$)");
  }
  BOOST_TEST(formulas.size() > 100);
}

// The check above reads a formula that wraps onto the next line whole: GitHub eats a "\\,"
// before the line break (a backslash before punctuation escapes it) and the check says so.
BOOST_AUTO_TEST_CASE(a_formula_that_wraps_a_line_is_checked_whole) {
  const std::string text = "The step, $\\theta - \\alpha\\,\nd\\theta$, and $x$.\n";
  const auto formulas = inline_formulas(text);
  BOOST_TEST_REQUIRE(formulas.size() == 2u);
  BOOST_TEST(formulas[0].line == 1);
  BOOST_TEST(formulas[0].tex == "\\theta - \\alpha\\,\nd\\theta");
  BOOST_TEST(formulas[1].tex == "x");
  const fs::path markdown = nn::testing::fresh_dir("wrapped-formula") / "text.md";
  std::ofstream(markdown) << text;
  const std::string html = github_render(markdown);
  BOOST_TEST(html.find(as_written(formulas[0])) == std::string::npos, html);
  BOOST_TEST(html.find(as_written(formulas[1])) != std::string::npos, html);
}

// A <!--playground NAME--> marker and the note after it become the live playground on their
// chapter's page (the scripts beside it); the one-page book keeps the note, as GitHub shows it.
BOOST_AUTO_TEST_CASE(the_chapter_pages_carry_their_playgrounds) {
  const auto pages = web_pages();
  const std::vector<std::pair<std::string, std::string>> expected{
      {"chapter-02.html", "flower"}, {"chapter-03.html", "xor"}, {"chapter-09.html", "spiral"}};
  for (const auto& [page, data] : expected) {
    BOOST_TEST_CONTEXT(page) {
      BOOST_REQUIRE(pages.count(page) == 1);
      const std::string& html = pages.at(page);
      BOOST_TEST(html.find("<div class=\"playground\" data-data=\"" + data + "\">") !=
                 std::string::npos);
      for (const std::string script : {"engine.js", "draw.js", "playground.js"})
        BOOST_TEST(html.find("<script src=\"playground/" + script + "\">") != std::string::npos);
      BOOST_TEST(html.find("Live in the web book") == std::string::npos);  // the note is gone
    }
  }
  std::size_t playgrounds = 0;
  for (const auto& [name, html] : pages)
    for (auto at = html.find("class=\"playground\""); at != std::string::npos;
         at = html.find("class=\"playground\"", at + 1))
      ++playgrounds;
  BOOST_TEST(playgrounds == expected.size());  // the one-page book has none
  const std::string& book = pages.at("book.html");
  BOOST_TEST(book.find("<!--playground") == std::string::npos);
  BOOST_TEST(book.find("Live in the web book") != std::string::npos);
  // on GitHub the marker is a comment and the note shows
  BOOST_TEST(visible_text(github_html()).find("Live in the web book") != std::string::npos);
}
