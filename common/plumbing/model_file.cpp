#include "common/plumbing/model_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "common/nn/errors.hpp"
#include "common/plumbing/files.hpp"

namespace nn {

namespace fs = std::filesystem;

namespace {

std::string field_header(std::size_t count) {
  return "ARMA_FLD_BIN\n1\n" + std::to_string(count) + "\n";  // a field of 1 row
}

std::string matrix_header(arma::uword rows, arma::uword cols) {
  return "ARMA_MAT_BIN_FN004\n" + std::to_string(rows) + " " + std::to_string(cols) + "\n";
}

std::string shape_text(arma::uword rows, arma::uword cols) {
  return std::to_string(rows) + "×" + std::to_string(cols);
}

std::uintmax_t expected_size(const std::vector<MatrixShape>& expected) {
  std::uintmax_t size = field_header(expected.size()).size();
  for (const MatrixShape& m : expected)
    size += matrix_header(m.rows, m.cols).size() + m.rows * m.cols * sizeof(float);
  return size;
}

// Reads the bytes in order, each check failing with the file's name and what it should hold.
class Reader {
 public:
  // `beyond`: how many bytes of the file follow `bytes` unread.
  Reader(std::span<const unsigned char> bytes, std::uintmax_t beyond, std::string name,
         std::string holds)
      : bytes_(bytes), beyond_(beyond), name_(std::move(name)), holds_(std::move(holds)) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw DataError(name_ + ": " + problem + " (expected " + holds_ + ")");
  }

  // The next line (without its '\n'), at most `longest` characters.
  std::string line(const std::string& what) {
    constexpr std::size_t longest = 64;
    std::string text;
    while (!bytes_.empty() && bytes_.front() != '\n' && text.size() < longest) {
      text += static_cast<char>(bytes_.front());
      bytes_ = bytes_.subspan(1);
    }
    if (bytes_.empty() || bytes_.front() != '\n') fail("unreadable " + what);
    bytes_ = bytes_.subspan(1);
    return text;
  }

  void expect_line(const std::string& want, const std::string& what) {
    const std::string found = line(what);
    if (found + "\n" != want) fail(what + " is '" + found + "'");
  }

  arma::fmat matrix(const MatrixShape& m) {
    if (line(m.name + "'s header") != "ARMA_MAT_BIN_FN004") fail(m.name + " is not float");
    const std::string shape = line(m.name + "'s shape");
    if (shape + "\n" != matrix_header(m.rows, m.cols).substr(19))
      fail(m.name + " has shape '" + shape + "', expected " + shape_text(m.rows, m.cols));
    arma::fmat M(m.rows, m.cols);
    const std::size_t size = M.n_elem * sizeof(float);
    // What the header promises, against what the file holds, before anything is copied.
    if (left() < size)
      fail("truncated: " + m.name + " needs " + std::to_string(size) + " bytes, " +
           std::to_string(left()) + " are left");
    if (bytes_.size() < size) fail(m.name + " was not read whole");
    std::memcpy(M.memptr(), bytes_.data(), size);
    bytes_ = bytes_.subspan(size);
    if (!M.is_finite()) {
      const arma::uvec bad = arma::find_nonfinite(M);
      const float v = M(bad(0));
      fail(m.name + " holds " + (std::isnan(v) ? "NaN" : "inf") + " at element " +
           std::to_string(bad(0)));
    }
    return M;
  }

  std::uintmax_t left() const { return bytes_.size() + beyond_; }

 private:
  std::span<const unsigned char> bytes_;
  std::uintmax_t beyond_;
  std::string name_, holds_;
};

}  // namespace

void save_matrices(const fs::path& file, const std::vector<arma::fmat>& matrices) {
  std::string bytes = field_header(matrices.size());
  for (const arma::fmat& M : matrices) {
    bytes += matrix_header(M.n_rows, M.n_cols);
    bytes.append(reinterpret_cast<const char*>(M.memptr()), M.n_elem * sizeof(float));
  }
  write_file_atomic(file, bytes);
}

namespace {

std::vector<arma::fmat> parse(std::span<const unsigned char> bytes, std::uintmax_t beyond,
                              const std::vector<MatrixShape>& expected, const std::string& holds,
                              const std::string& name) {
  Reader in(bytes, beyond, name, holds);
  in.expect_line("ARMA_FLD_BIN\n", "the first line");
  in.expect_line("1\n", "the field's row count");
  in.expect_line(std::to_string(expected.size()) + "\n", "the matrix count");
  std::vector<arma::fmat> matrices;
  for (const MatrixShape& m : expected) matrices.push_back(in.matrix(m));
  if (in.left() != 0) in.fail(std::to_string(in.left()) + " unexpected bytes after the data");
  return matrices;
}

}  // namespace

std::vector<arma::fmat> parse_matrices(std::span<const unsigned char> bytes,
                                       const std::vector<MatrixShape>& expected,
                                       const std::string& holds, const std::string& name) {
  return parse(bytes, 0, expected, holds, name);
}

std::vector<arma::fmat> load_matrices(const fs::path& file,
                                      const std::vector<MatrixShape>& expected,
                                      const std::string& holds) {
  const int fd = open_regular_file(file);  // not a named pipe, not /dev/zero
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  // Never more than the model's size and a little: the rest of a larger file is only counted.
  const std::size_t want = std::min<std::uintmax_t>(size, expected_size(expected) + 4096);
  std::vector<unsigned char> bytes(want);
  std::size_t got = 0;
  int errnum = 0;
  while (got < want && errnum == 0) {
    const ssize_t n = ::read(fd, bytes.data() + got, want - got);
    if (n < 0 && errno != EINTR) errnum = errno;
    if (n == 0) errnum = EIO;  // shrank while we read
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (errnum != 0) throw DataError(file.string() + ": read error: " + std::strerror(errnum));
  return parse(bytes, size - want, expected, holds, file.string());
}

void save_blocks(const std::filesystem::path& file, const BlocksOf<float>& blocks) {
  std::vector<arma::fmat> matrices;
  for (const BlockOf<float>& block : blocks) matrices.push_back(*block.P);
  save_matrices(file, matrices);
}

void load_blocks(const std::filesystem::path& file, const BlocksOf<float>& blocks,
                 const std::string& holds) {
  std::vector<MatrixShape> shapes;
  for (const BlockOf<float>& block : blocks)
    shapes.push_back({block.name, block.P->n_rows, block.P->n_cols});
  std::vector<arma::fmat> matrices = load_matrices(file, shapes, holds);
  for (std::size_t i = 0; i < blocks.size(); ++i) *blocks[i].P = std::move(matrices[i]);
}

}  // namespace nn
