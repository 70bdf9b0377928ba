// Reading MNIST's IDX files. One parser serves both files on disk (streamed through zlib, whose
// gzread reads gzip and plain files alike) and bytes already in memory (the fuzz target): it
// pulls its bytes from a small ByteSource, so every check is written once.
#include "common/plumbing/mnist.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "common/plumbing/files.hpp"
#include "common/plumbing/memory.hpp"

namespace nn {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kImagesMagic = 0x00000803;
constexpr std::uint32_t kLabelsMagic = 0x00000801;

// Caps checked against the header before anything is allocated. MNIST-like sets hold 28x28
// images and at most a few hundred thousand items, so these leave ample room while refusing
// headers that would have us allocate gigabytes.
constexpr std::uint32_t kMaxItems = 1u << 24;       // images or labels per file (16.7 M)
constexpr std::uint32_t kMaxSide = 4096;            // rows and cols each lie in 1..4096
constexpr std::uint64_t kMaxPayload = 1ull << 30;   // bytes after the header (1 GiB)
constexpr std::uint64_t kMaxTrailing = 1ull << 20;  // trailing bytes counted before giving up

// The payload buffer starts small and doubles, so a header that overstates its size costs
// memory only in proportion to the bytes actually present.
constexpr std::size_t kFirstChunk = 4096;
constexpr std::size_t kMaxChunk = std::size_t{1} << 24;

// Where the parser's bytes come from.
class ByteSource {
 public:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}
  virtual ~ByteSource() = default;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to n bytes into out; fewer only at the end of the data.
  virtual std::size_t read(unsigned char* out, std::size_t n) = 0;

  [[noreturn]] void fail(const std::string& problem) const {
    throw DataError(name_ + ": " + problem);
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

class SpanSource final : public ByteSource {
 public:
  SpanSource(std::span<const unsigned char> bytes, const std::string& name)
      : ByteSource(name), bytes_(bytes) {}

  std::size_t read(unsigned char* out, std::size_t n) override {
    n = std::min(n, bytes_.size());
    std::copy_n(bytes_.begin(), n, out);
    bytes_ = bytes_.subspan(n);
    return n;
  }

 private:
  std::span<const unsigned char> bytes_;
};

class GzSource final : public ByteSource {
 public:
  explicit GzSource(const fs::path& file) : ByteSource(file.string()) {
    const int fd = open_regular_file(file);  // never a named pipe or a device: they can hang
    gz_ = gzdopen(fd, "rb");
    if (gz_ == nullptr) {
      ::close(fd);
      fail(std::string("cannot open: ") + std::strerror(errno));
    }
    gzbuffer(gz_, 1u << 17);
  }
  ~GzSource() override { gzclose(gz_); }

  std::size_t read(unsigned char* out, std::size_t n) override {
    std::size_t total = 0;
    while (total < n) {
      // gzread takes an unsigned count and returns an int, so read at most kMaxChunk at a time.
      const auto want = static_cast<unsigned>(std::min(n - total, kMaxChunk));
      const int got = gzread(gz_, out + total, want);
      if (got < 0) fail_stream();
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
    }
    return total;
  }

 private:
  [[noreturn]] void fail_stream() const {
    int errnum = Z_OK;
    std::string text = gzerror(gz_, &errnum);
    // zlib prefixes its message with the path it was given ("<fd:5>" for an open file),
    // which fail() names anyway.
    if (const std::size_t colon = text.find(": ");
        colon != std::string::npos && (text.starts_with("<fd:") || text.starts_with(name())))
      text.erase(0, colon + 2);
    fail((errnum == Z_ERRNO ? "read error: " : "corrupt gzip stream: ") + text);
  }

  gzFile gz_ = nullptr;
};

std::uint32_t big_endian(const unsigned char* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 |
         std::uint32_t{p[3]};
}

std::string hex(std::uint32_t value) {
  std::array<char, 11> text{};
  std::snprintf(text.data(), text.size(), "0x%08x", static_cast<unsigned>(value));
  return text.data();
}

const char* kind(std::uint32_t magic) {
  return magic == kImagesMagic ? "images" : "labels";
}

void check_magic(const ByteSource& src, std::uint32_t found, std::uint32_t expected) {
  if (found == expected) return;
  std::string message = "wrong magic number: found " + hex(found) + ", expected " + hex(expected) +
                        " (IDX " + kind(expected) + ")";
  const std::uint32_t other = expected == kImagesMagic ? kLabelsMagic : kImagesMagic;
  if (found == other) {
    message +=
        "; this is an IDX " + std::string(kind(other)) + " file: are images and labels swapped?";
  } else if (found >> 16 == 0x1f8b) {
    message += "; the data is still gzip-compressed";
  }
  src.fail(message);
}

// Reads the magic number and `dims` sizes that follow it, all big-endian uint32.
std::array<std::uint32_t, 3> read_header(ByteSource& src, std::uint32_t magic, std::size_t dims) {
  std::array<unsigned char, 16> raw{};
  const std::size_t size = 4 * (1 + dims);
  const std::size_t got = src.read(raw.data(), size);
  if (got == 0) src.fail("empty file");
  // The magic comes first so that a short file of the wrong kind is reported as such.
  if (got >= 4) check_magic(src, big_endian(raw.data()), magic);
  if (got < size) {
    src.fail("truncated header: expected " + std::to_string(size) + " bytes, found " +
             std::to_string(got));
  }
  std::array<std::uint32_t, 3> sizes{};
  for (std::size_t i = 0; i < dims; ++i) sizes[i] = big_endian(raw.data() + 4 * (i + 1));
  return sizes;
}

void check_count(const ByteSource& src, std::uint32_t count, const char* what) {
  if (count > kMaxItems) {
    src.fail("header claims " + std::to_string(count) + " " + what + ", over the limit of " +
             std::to_string(kMaxItems));
  }
}

// Insists the data ends here; counts what follows (up to kMaxTrailing) for the message.
void check_end(ByteSource& src) {
  std::array<unsigned char, 4096> scratch{};
  std::uint64_t extra = 0;
  while (extra < kMaxTrailing) {
    const std::size_t got = src.read(scratch.data(), scratch.size());
    if (got == 0) break;
    extra += got;
  }
  if (extra == 0) return;
  src.fail((extra >= kMaxTrailing ? "at least " : "") + std::to_string(extra) +
           " unexpected bytes after the data");
}

// Reads exactly `size` payload bytes (already checked against kMaxPayload), then the end.
std::vector<unsigned char> read_payload(ByteSource& src, std::uint64_t size, const char* what) {
  std::vector<unsigned char> data;
  while (data.size() < size) {
    const std::size_t before = data.size();
    const std::size_t step = std::clamp(before, kFirstChunk, kMaxChunk);
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(size - before, step));
    data.resize(before + want);
    const std::size_t got = src.read(data.data() + before, want);
    if (got < want) {
      src.fail("truncated: expected " + std::to_string(size) + " " + what + " bytes, found " +
               std::to_string(before + got));
    }
  }
  check_end(src);
  return data;
}

IdxImages parse_images(ByteSource& src) {
  const auto [count, rows, cols] = read_header(src, kImagesMagic, 3);
  check_count(src, count, "images");
  if (rows == 0 || cols == 0 || rows > kMaxSide || cols > kMaxSide) {
    src.fail("implausible image size " + std::to_string(rows) + "x" + std::to_string(cols) +
             " (rows and cols must lie in 1.." + std::to_string(kMaxSide) + ")");
  }
  const std::uint64_t per_image = std::uint64_t{rows} * cols;
  const std::uint64_t payload = per_image * count;  // < 2^48: no overflow
  if (payload > kMaxPayload) {
    src.fail("header claims " + std::to_string(count) + " images of " + std::to_string(rows) + "x" +
             std::to_string(cols) + " = " + std::to_string(payload) + " bytes, over the limit of " +
             std::to_string(kMaxPayload));
  }
  // The pixels, the buffer they are read into and the float copy a chapter trains on.
  if (const std::string problem = memory_shortfall(double(payload) * (2 + sizeof(float)));
      !problem.empty()) {
    src.fail("header claims " + std::to_string(count) + " images of " + std::to_string(rows) + "x" +
             std::to_string(cols) + ": loading them " + problem);
  }
  const std::vector<unsigned char> data = read_payload(src, payload, "pixel");
  // IDX stores image after image, each row-major: exactly column after column.
  IdxImages images{arma::Mat<unsigned char>(per_image, count, arma::fill::none), rows, cols};
  std::copy(data.begin(), data.end(), images.pixels.begin());
  return images;
}

arma::uvec parse_labels(ByteSource& src) {
  const std::uint32_t count = read_header(src, kLabelsMagic, 1)[0];
  check_count(src, count, "labels");
  const std::vector<unsigned char> data = read_payload(src, count, "label");
  arma::uvec labels(count);
  std::copy(data.begin(), data.end(), labels.begin());
  return labels;
}

// dir/name.gz, or dir/name when only the uncompressed file is there.
fs::path find_idx_file(const fs::path& dir, const std::string& name) {
  const fs::path gz = dir / (name + ".gz");
  const fs::path raw = dir / name;
  for (const fs::path& file : {gz, raw}) {
    std::error_code ec;
    if (fs::exists(file, ec)) return file;
    // a symbolic link loop, a folder without permission: not "not found"
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
      throw DataError(file.string() + ": cannot open: " + ec.message());
  }
  throw DataError(gz.string() + ": file not found (nor its uncompressed form " + name + ")");
}

struct Split {
  fs::path image_file;
  IdxImages images;
  arma::uvec labels;
};

// Reads prefix-images and prefix-labels and checks that they belong together.
Split read_split(const fs::path& dir, const std::string& prefix) {
  const fs::path image_file = find_idx_file(dir, prefix + "-images-idx3-ubyte");
  const fs::path label_file = find_idx_file(dir, prefix + "-labels-idx1-ubyte");
  Split split{image_file, read_idx_images(image_file), read_idx_labels(label_file)};
  if (split.images.pixels.n_cols == 0)
    throw DataError(image_file.string() + ": holds no images (the header's count is 0)");
  if (split.images.pixels.n_cols != split.labels.n_elem) {
    throw DataError(image_file.string() + " has " + std::to_string(split.images.pixels.n_cols) +
                    " images but " + label_file.string() + " has " +
                    std::to_string(split.labels.n_elem) + " labels");
  }
  const arma::uvec bad = arma::find(split.labels >= 10, 1);
  if (!bad.is_empty()) {
    throw DataError(label_file.string() + ": label " + std::to_string(split.labels(bad(0))) +
                    " at index " + std::to_string(bad(0)) + " is not a digit 0-9");
  }
  return split;
}

std::string size_text(const IdxImages& images) {
  return std::to_string(images.rows) + "x" + std::to_string(images.cols);
}

}  // namespace

IdxImages read_idx_images(const fs::path& file) {
  GzSource src(file);
  return parse_images(src);
}

arma::uvec read_idx_labels(const fs::path& file) {
  GzSource src(file);
  return parse_labels(src);
}

IdxImages parse_idx_images(std::span<const unsigned char> bytes, const std::string& name) {
  SpanSource src(bytes, name);
  return parse_images(src);
}

arma::uvec parse_idx_labels(std::span<const unsigned char> bytes, const std::string& name) {
  SpanSource src(bytes, name);
  return parse_labels(src);
}

Mnist load_mnist(const fs::path& dir, std::size_t rows, std::size_t cols) {
  Split train = read_split(dir, "train");
  if (rows != 0 && (train.images.rows != rows || train.images.cols != cols))
    throw DataError(train.image_file.string() + ": images are " + size_text(train.images) +
                    ", this network reads images of " + std::to_string(rows) + "x" +
                    std::to_string(cols));
  Split test = read_split(dir, "t10k");
  if (train.images.rows != test.images.rows || train.images.cols != test.images.cols) {
    throw DataError(test.image_file.string() + ": images are " + size_text(test.images) +
                    " but the training images are " + size_text(train.images));
  }
  return Mnist{std::move(train.images), std::move(test.images), std::move(train.labels),
               std::move(test.labels)};
}

}  // namespace nn
