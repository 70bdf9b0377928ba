// Unit tests of the data loaders (common/mnist, common/hdf5_data). Each test writes its own small
// IDX or HDF5 files into a fresh temporary directory: valid ones, checked for shape and element
// order, and broken ones, each of which must give a one-line nn::DataError naming the file.
#define BOOST_TEST_MODULE loaders
#include <boost/test/unit_test.hpp>

#include <H5Cpp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "common/nn/errors.hpp"
#include "common/nn/one_hot.hpp"
#include "common/plumbing/hdf5_data.hpp"
#include "common/plumbing/mnist.hpp"

// AddressSanitizer (GCC says so with a macro, clang with __has_feature).
#if defined(__SANITIZE_ADDRESS__)
#define NN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NN_ASAN 1
#endif
#endif

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

namespace {

// A fresh directory under the system's temp directory, removed with everything in it.
struct TempDir {
  fs::path dir =
      fs::temp_directory_path() / ("nn_test_loaders_" + std::to_string(std::random_device{}()));
  TempDir() { fs::create_directories(dir); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Checks that f() throws a one-line nn::DataError whose message contains every part.
void check_data_error(const std::function<void()>& f, std::initializer_list<std::string> parts) {
  try {
    f();
    BOOST_ERROR("no nn::DataError thrown; expected one mentioning '" << *parts.begin() << "'");
  } catch (const nn::DataError& e) {
    const std::string message = e.what();
    BOOST_TEST_MESSAGE("DataError: " << message);
    BOOST_CHECK_MESSAGE(message.find('\n') == std::string::npos, "not one line: " << message);
    // zlib names a file it was handed open "<fd:5>": the message names the file itself
    BOOST_CHECK_MESSAGE(message.find("<fd:") == std::string::npos, "zlib's name in: " << message);
    for (const std::string& part : parts) {
      BOOST_CHECK_MESSAGE(message.find(part) != std::string::npos,
                          "message '" << message << "' lacks '" << part << "'");
    }
  }
}

// The message of the DataError `load` throws in a child process whose address space is held
// to `extra` bytes more than it maps (written to `message` on the way). Fails the test when it
// throws anything else, or nothing.
std::string data_error_under_address_limit(const std::function<void()>& load,
                                           const fs::path& message, rlim_t extra) {
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    std::ifstream statm("/proc/self/statm");
    rlim_t pages = 0;
    statm >> pages;
    const rlim_t bytes = pages * static_cast<rlim_t>(::sysconf(_SC_PAGE_SIZE)) + extra;
    const rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
    int code = 1;
    try {
      load();
    } catch (const nn::DataError& e) {
      std::ofstream(message) << e.what();
      code = 0;
    } catch (...) {
      code = 2;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0), "no DataError (1) or another (2)");
  std::ifstream in(message);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// ---- IDX files ----

void append_be32(Bytes& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back((value >> shift) & 0xff);
}

// Pixel (r, c) of image j, modulo 256: distinct for every position in the small test files.
unsigned char pixel(std::size_t j, std::size_t r, std::size_t c) {
  return 100 * j + 10 * r + c;
}

Bytes idx_images(std::uint32_t n, std::uint32_t rows, std::uint32_t cols) {
  Bytes bytes;
  for (const std::uint32_t word : {0x803u, n, rows, cols}) append_be32(bytes, word);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) bytes.push_back(pixel(j, r, c));
    }
  }
  return bytes;
}

Bytes idx_labels(const std::vector<unsigned char>& labels) {
  Bytes bytes;
  append_be32(bytes, 0x801);
  append_be32(bytes, labels.size());
  bytes.insert(bytes.end(), labels.begin(), labels.end());
  return bytes;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes prefix(const Bytes& bytes, std::size_t n) {
  return Bytes(bytes.begin(), bytes.begin() + n);
}

fs::path write_raw(const fs::path& file, const Bytes& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  BOOST_REQUIRE(out.good());
  return file;
}

fs::path write_gz(const fs::path& file, const Bytes& bytes) {
  gzFile gz = gzopen(file.c_str(), "wb");
  BOOST_REQUIRE(gz != nullptr);
  BOOST_REQUIRE_EQUAL(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())),
                      static_cast<int>(bytes.size()));
  BOOST_REQUIRE_EQUAL(gzclose(gz), Z_OK);
  return file;
}

void check_images(const nn::IdxImages& images, std::size_t n, std::size_t rows, std::size_t cols) {
  BOOST_TEST(images.rows == rows);
  BOOST_TEST(images.cols == cols);
  BOOST_TEST(images.pixels.n_rows == rows * cols);
  BOOST_TEST(images.pixels.n_cols == n);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) {
        BOOST_TEST(images.pixels(r * cols + c, j) == pixel(j, r, c));
      }
    }
  }
}

void check_labels(const arma::uvec& labels, const std::vector<arma::uword>& expected) {
  BOOST_TEST(std::vector<arma::uword>(labels.begin(), labels.end()) == expected,
             boost::test_tools::per_element());
}

// Writes the four MNIST files into dir (train 3 images, test 2, all 2x3); gzip for train.
void write_mnist(const fs::path& dir, const Bytes& train_labels) {
  write_gz(dir / "train-images-idx3-ubyte.gz", idx_images(3, 2, 3));
  write_gz(dir / "train-labels-idx1-ubyte.gz", idx_labels(train_labels));
  write_raw(dir / "t10k-images-idx3-ubyte", idx_images(2, 2, 3));
  write_raw(dir / "t10k-labels-idx1-ubyte", idx_labels({7, 9}));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(idx, TempDir)

BOOST_AUTO_TEST_CASE(reads_raw_images_in_pixel_order) {
  check_images(nn::read_idx_images(write_raw(dir / "images", idx_images(3, 2, 3))), 3, 2, 3);
}

BOOST_AUTO_TEST_CASE(reads_gzip_images_and_labels) {
  check_images(nn::read_idx_images(write_gz(dir / "images.gz", idx_images(4, 5, 2))), 4, 5, 2);
  check_labels(nn::read_idx_labels(write_gz(dir / "labels.gz", idx_labels({3, 0, 255}))),
               {3, 0, 255});
}

BOOST_AUTO_TEST_CASE(parses_bytes_in_memory) {
  check_images(nn::parse_idx_images(idx_images(2, 3, 4), "memory"), 2, 3, 4);
  check_labels(nn::parse_idx_labels(idx_labels({1, 2}), "memory"), {1, 2});
  check_images(nn::parse_idx_images(idx_images(0, 28, 28), "memory"), 0, 28, 28);
}

BOOST_AUTO_TEST_CASE(load_mnist_reads_gzip_and_raw_files) {
  write_mnist(dir, {5, 0, 4});
  const nn::Mnist mnist = nn::load_mnist(dir);
  check_images(mnist.train, 3, 2, 3);
  check_images(mnist.test, 2, 2, 3);
  check_labels(mnist.train_labels, {5, 0, 4});
  check_labels(mnist.test_labels, {7, 9});
}

// A chapter's network reads 28 × 28 images: valid MNIST files of another size are refused at
// load, naming the file and both sizes (chapters 5 and 6 ask for 28 × 28).
BOOST_AUTO_TEST_CASE(load_mnist_refuses_images_of_another_size) {
  write_mnist(dir, {5, 0, 4});
  check_data_error([&] { nn::load_mnist(dir, 28, 28); },
                   {"train-images-idx3-ubyte.gz", "images are 2x3", "reads images of 28x28"});
  BOOST_CHECK_NO_THROW(nn::load_mnist(dir, 2, 3));
}

BOOST_AUTO_TEST_CASE(missing_file) {
  check_data_error([&] { nn::read_idx_images(dir / "absent.gz"); }, {"absent.gz", "not found"});
  check_data_error([&] { nn::load_mnist(dir); },
                   {"train-images-idx3-ubyte.gz", "not found", "uncompressed"});
}

BOOST_AUTO_TEST_CASE(empty_file) {
  check_data_error([&] { nn::read_idx_labels(write_raw(dir / "empty", {})); },
                   {"empty", ": empty file"});
  check_data_error([&] { nn::read_idx_labels(write_gz(dir / "empty.gz", {})); },
                   {"empty.gz", ": empty file"});
}

BOOST_AUTO_TEST_CASE(truncated_header) {
  const fs::path file = write_raw(dir / "short", prefix(idx_images(1, 2, 2), 10));
  check_data_error([&] { nn::read_idx_images(file); },
                   {"short", "truncated header: expected 16 bytes, found 10"});
}

BOOST_AUTO_TEST_CASE(truncated_body) {
  const fs::path file = write_gz(dir / "cut.gz", prefix(idx_images(3, 2, 3), 16 + 13));
  check_data_error([&] { nn::read_idx_images(file); },
                   {"cut.gz", "truncated: expected 18 pixel bytes, found 13"});
  const Bytes cut = prefix(idx_labels({1, 2, 3}), 9);
  check_data_error([&] { nn::parse_idx_labels(cut, "mem"); },
                   {"mem", "truncated: expected 3 label bytes, found 1"});
}

BOOST_AUTO_TEST_CASE(truncated_gzip_file) {
  const Bytes big = idx_images(40, 20, 20);
  const Bytes gz = [&] {
    write_gz(dir / "whole.gz", big);
    std::ifstream in(dir / "whole.gz", std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
  }();
  const fs::path file = write_raw(dir / "half.gz", prefix(gz, gz.size() / 2));
  check_data_error([&] { nn::read_idx_images(file); }, {"half.gz", "truncated: expected 16000"});
}

BOOST_AUTO_TEST_CASE(wrong_magic) {
  Bytes bytes = idx_images(1, 2, 2);
  bytes[3] = 0x02;
  check_data_error([&] { nn::parse_idx_images(bytes, "odd"); },
                   {"odd: wrong magic number: found 0x00000802, expected 0x00000803"});
  const Bytes gzip_magic = {0x1f, 0x8b, 8, 0};
  check_data_error([&] { nn::parse_idx_images(gzip_magic, "packed"); },
                   {"packed", "still gzip-compressed"});
}

BOOST_AUTO_TEST_CASE(images_and_labels_swapped) {
  const fs::path images = write_raw(dir / "images", idx_images(1, 2, 2));
  const fs::path labels = write_raw(dir / "labels", idx_labels({1}));
  check_data_error([&] { nn::read_idx_images(labels); }, {"labels", "swapped"});
  check_data_error([&] { nn::read_idx_labels(images); }, {"images", "swapped"});
}

BOOST_AUTO_TEST_CASE(counts_disagree) {
  write_mnist(dir, {5, 0});
  check_data_error([&] { nn::load_mnist(dir); }, {"train-images-idx3-ubyte.gz has 3 images but ",
                                                  "train-labels-idx1-ubyte.gz has 2 labels"});
}

BOOST_AUTO_TEST_CASE(labels_not_digits) {
  write_mnist(dir, {5, 12, 0});
  check_data_error([&] { nn::load_mnist(dir); },
                   {"train-labels-idx1-ubyte.gz: label 12 at index 1 is not a digit"});
}

BOOST_AUTO_TEST_CASE(absurd_dimensions) {
  const auto header = [](std::uint32_t n, std::uint32_t rows, std::uint32_t cols) {
    Bytes bytes = prefix(idx_images(0, 1, 1), 4);
    for (const std::uint32_t word : {n, rows, cols}) append_be32(bytes, word);
    return bytes;
  };
  check_data_error([&] { nn::parse_idx_images(header(1u << 31, 28, 28), "h"); },
                   {"h: header claims 2147483648 images, over the limit"});
  check_data_error([&] { nn::parse_idx_images(header(1u << 20, 64, 64), "h"); },
                   {"h: header claims 1048576 images of 64x64", "over the limit"});
  check_data_error([&] { nn::parse_idx_images(header(1, 0, 28), "h"); }, {"image size 0x28"});
  check_data_error([&] { nn::parse_idx_images(header(1, 28, 5000), "h"); }, {"size 28x5000"});
  const Bytes labels = concat(prefix(idx_labels({}), 4), {0xff, 0xff, 0xff, 0xff});
  check_data_error([&] { nn::parse_idx_labels(labels, "l"); },
                   {"l: header claims 4294967295 labels"});
}

BOOST_AUTO_TEST_CASE(corrupt_gzip_stream) {
  // A valid gzip header, then 0xff bytes: a deflate block of the reserved type 3.
  Bytes bytes(64, 0xff);
  const std::array<unsigned char, 9> header = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0};
  std::copy(header.begin(), header.end(), bytes.begin());
  const fs::path file = write_raw(dir / "garbage.gz", bytes);
  check_data_error([&] { nn::read_idx_images(file); }, {"garbage.gz: corrupt gzip stream"});
}

BOOST_AUTO_TEST_CASE(trailing_bytes) {
  const fs::path file = write_gz(dir / "long.gz", concat(idx_labels({1, 2}), Bytes(7, 0)));
  check_data_error([&] { nn::read_idx_labels(file); },
                   {"long.gz: 7 unexpected bytes after the data"});
}

BOOST_AUTO_TEST_CASE(empty_data_sets_are_refused) {
  write_mnist(dir, {5, 0, 4});
  write_raw(dir / "t10k-images-idx3-ubyte", idx_images(0, 2, 3));
  write_raw(dir / "t10k-labels-idx1-ubyte", idx_labels({}));
  check_data_error([&] { nn::load_mnist(dir); },
                   {"t10k-images-idx3-ubyte: holds no images (the header's count is 0)"});
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_loop_is_not_a_missing_file) {
  fs::create_symlink("mnist", dir / "mnist");  // mnist/ → itself
  check_data_error([&] { nn::load_mnist(dir / "mnist"); },
                   {"mnist/train-images-idx3-ubyte.gz: cannot open: Too many levels of symbolic"});
}

BOOST_AUTO_TEST_CASE(special_files_are_refused_without_waiting) {
  // A named pipe with no writer: opening it to read would wait for ever.
  BOOST_REQUIRE(::mkfifo((dir / "pipe.gz").c_str(), 0644) == 0);
  check_data_error([&] { nn::read_idx_images(dir / "pipe.gz"); },
                   {"pipe.gz: is a named pipe (FIFO), not a regular file"});
  check_data_error([&] { nn::read_idx_labels("/dev/zero"); },
                   {"/dev/zero: is a character device, not a regular file"});
  check_data_error([&] { nn::read_idx_labels(dir); }, {"is a directory, not a regular file"});
}

BOOST_AUTO_TEST_CASE(images_that_would_not_fit_in_memory_are_refused_before_reading) {
  // 1.3 M images of 28x28: 1 GB of pixels, 5 GB with the float copy. With 1 GiB of address
  // space left (in a child process) the header alone is refused, before any allocation.
#ifdef NN_ASAN
  BOOST_TEST_MESSAGE("skipped under AddressSanitizer, which needs more address space");
  return;
#endif
  Bytes header = prefix(idx_images(0, 1, 1), 4);
  for (const std::uint32_t word : {1'300'000u, 28u, 28u}) append_be32(header, word);
  const std::string text = data_error_under_address_limit(
      [&] { nn::parse_idx_images(header, "blank.gz"); }, dir / "message.txt", 1ul << 30);
  BOOST_TEST(text.find("blank.gz: header claims 1300000 images of 28x28: loading them needs "
                       "about 5.7 GiB of memory, more than the ") == 0u,
             text);
  BOOST_TEST(text.ends_with(" GiB that the address-space limit (ulimit -v) leaves"), text);
}

BOOST_AUTO_TEST_CASE(scales_pixels_and_encodes_one_hot) {
  const arma::Mat<unsigned char> pixels = {{0, 255}, {51, 102}};
  const arma::fmat scaled = nn::scale_pixels<float>(pixels);
  BOOST_TEST(arma::approx_equal(scaled, arma::fmat{{0.f, 1.f}, {0.2f, 0.4f}}, "absdiff", 1e-7));
  const arma::mat y = nn::one_hot<double>(arma::uvec{2, 0}, 3);
  BOOST_TEST(arma::approx_equal(y, arma::mat{{0, 1}, {0, 0}, {1, 0}}, "absdiff", 0.0));
  check_data_error([] { nn::one_hot<double>(arma::uvec{3}, 3); }, {"label 3 at index 0"});
}

BOOST_AUTO_TEST_SUITE_END()

// Top level, so that CI can name it alone: --run_test=writes_fuzz_seed_corpus
BOOST_AUTO_TEST_CASE(writes_fuzz_seed_corpus) {
  const std::vector<std::pair<std::string, Bytes>> seeds = {
      {"images", idx_images(2, 3, 2)},
      {"labels", idx_labels({4, 2, 0})},
      {"truncated_images", prefix(idx_images(2, 3, 2), 20)},
      {"wrong_magic", idx_labels({1, 7})},
      {"trailing_labels", concat(idx_labels({3}), {0, 0})}};
  check_images(nn::parse_idx_images(seeds[0].second, "seed"), 2, 3, 2);
  check_labels(nn::parse_idx_labels(seeds[1].second, "seed"), {4, 2, 0});
  check_data_error([&] { nn::parse_idx_images(seeds[2].second, "seed"); }, {"truncated"});
  check_data_error([&] { nn::parse_idx_images(seeds[3].second, "seed"); }, {"wrong magic"});
  check_data_error([&] { nn::parse_idx_labels(seeds[4].second, "seed"); }, {"2 unexpected"});
  // Written only on request: NN_FUZZ_CORPUS=DIR ./test_loaders -t writes_fuzz_seed_corpus
  if (const char* corpus = std::getenv("NN_FUZZ_CORPUS")) {
    fs::create_directories(corpus);
    for (const auto& [name, bytes] : seeds) write_raw(fs::path(corpus) / name, bytes);
  }
}

// ---- HDF5 files ----

namespace {

constexpr hsize_t kImageBytes = 64 * 64 * 3;

// Byte i of the C-order pixel array of the small cat files.
unsigned char cat_byte(std::size_t i) {
  return (i * 7 + 3) % 256;
}

enum class Flaw {
  none,
  no_labels,
  rank3_images,
  four_channels,
  float_pixels,
  wide_pixels,
  short_labels,
  label_two
};

std::vector<hsize_t> x_shape(Flaw flaw, hsize_t m) {
  if (flaw == Flaw::rank3_images) return {m, 64, 192};
  return {m, 64, 64, flaw == Flaw::four_channels ? 4u : 3u};
}

template <typename T>
void write_dataset(const H5::H5File& h5, const std::string& name, const std::vector<hsize_t>& shape,
                   const H5::DataType& type, const std::vector<T>& values) {
  const H5::DataSpace space(static_cast<int>(shape.size()), shape.data());
  h5.createDataSet(name, type, space).write(values.data(), type);
}

// Writes dir/<split>_catvnoncat.h5 with m images, with the given flaw.
fs::path write_cat_file(const fs::path& dir, const std::string& split, hsize_t m,
                        Flaw flaw = Flaw::none) {
  const fs::path file = dir / (split + "_catvnoncat.h5");
  const H5::H5File h5(file.string(), H5F_ACC_TRUNC);
  const std::vector<hsize_t> shape = x_shape(flaw, m);
  std::vector<unsigned char> x(
      std::accumulate(shape.begin(), shape.end(), hsize_t{1}, std::multiplies<>()));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = cat_byte(i);
  if (flaw == Flaw::float_pixels) {
    write_dataset(h5, split + "_set_x", shape, H5::PredType::NATIVE_FLOAT,
                  std::vector<float>(x.begin(), x.end()));
  } else if (flaw == Flaw::wide_pixels) {
    std::vector<std::int16_t> wide(x.begin(), x.end());
    wide.back() = 300;
    write_dataset(h5, split + "_set_x", shape, H5::PredType::NATIVE_INT16, wide);
  } else {
    write_dataset(h5, split + "_set_x", shape, H5::PredType::NATIVE_UINT8, x);
  }
  std::vector<std::int64_t> y(flaw == Flaw::short_labels ? m - 1 : m);
  for (std::size_t j = 0; j < y.size(); ++j) y[j] = (flaw == Flaw::label_two && j == 1) ? 2 : j % 2;
  if (flaw != Flaw::no_labels) {
    write_dataset(h5, split + "_set_y", {y.size()}, H5::PredType::NATIVE_INT64, y);
  }
  H5::StrType s7(H5::PredType::C_S1, 7);
  s7.setStrpad(H5T_STR_NULLPAD);
  const std::string classes("non-catcat\0\0\0\0", 14);
  write_dataset(h5, "list_classes", {2}, s7, std::vector<char>(classes.begin(), classes.end()));
  return file;
}

// A directory holding a valid test file and a train file with the given flaw.
struct CatDir : TempDir {
  fs::path train_file(Flaw flaw) {
    write_cat_file(dir, "test", 2);
    return write_cat_file(dir, "train", 3, flaw);
  }

  // load_catvnoncat must fail, with a message containing every part, on a train file with `flaw`.
  void check_load_fails(Flaw flaw, std::initializer_list<std::string> parts) {
    train_file(flaw);
    check_data_error([&] { nn::load_catvnoncat(dir); }, parts);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(hdf5, CatDir)

BOOST_AUTO_TEST_CASE(reads_cat_files_in_c_order) {
  train_file(Flaw::none);
  const nn::CatData cat = nn::load_catvnoncat(dir);
  BOOST_TEST(cat.train_images.n_rows == kImageBytes);
  BOOST_TEST(cat.train_images.n_cols == 3u);
  BOOST_TEST(cat.test_images.n_cols == 2u);
  for (arma::uword j = 0; j < 3; ++j) {
    for (arma::uword i = 0; i < kImageBytes; ++i) {
      if (cat.train_images(i, j) != cat_byte(j * kImageBytes + i)) {
        BOOST_FAIL("pixel " << i << " of image " << j << " is out of C order");
      }
    }
  }
  BOOST_TEST(arma::approx_equal(cat.train_labels, arma::rowvec{0, 1, 0}, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(cat.test_labels, arma::rowvec{0, 1}, "absdiff", 0.0));
  BOOST_TEST(cat.classes == (std::vector<std::string>{"non-cat", "cat"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reads_datasets_directly) {
  const fs::path file = train_file(Flaw::none);
  const nn::Hdf5Bytes x = nn::read_hdf5_uint8(file, "train_set_x", 4);
  BOOST_TEST(x.shape == (std::vector<hsize_t>{3, 64, 64, 3}), boost::test_tools::per_element());
  BOOST_TEST(x.values.size() == 3 * kImageBytes);
  BOOST_TEST(x.values[12345] == cat_byte(12345));
  BOOST_TEST(nn::read_hdf5_int64(file, "train_set_y", 1) == (std::vector<std::int64_t>{0, 1, 0}),
             boost::test_tools::per_element());
  check_data_error([&] { nn::read_hdf5_strings(file, "train_set_y"); },
                   {"train_catvnoncat.h5: dataset 'train_set_y': holds integer values"});
}

BOOST_AUTO_TEST_CASE(missing_dataset) {
  check_load_fails(Flaw::no_labels,
                   {"train_catvnoncat.h5: dataset 'train_set_y': no such dataset"});
}

BOOST_AUTO_TEST_CASE(wrong_rank) {
  check_load_fails(Flaw::rank3_images,
                   {"train_catvnoncat.h5: dataset 'train_set_x': has rank 3, expected 4"});
}

BOOST_AUTO_TEST_CASE(wrong_shape) {
  check_load_fails(Flaw::four_channels,
                   {"train_catvnoncat.h5", "shape (3, 64, 64, 4), expected (m, 64, 64, 3)"});
}

BOOST_AUTO_TEST_CASE(float_pixels) {
  check_load_fails(Flaw::float_pixels,
                   {"train_catvnoncat.h5", "holds floating-point values, expected integers"});
}

BOOST_AUTO_TEST_CASE(pixels_out_of_range) {
  check_load_fails(Flaw::wide_pixels,
                   {"train_catvnoncat.h5", "train_set_x", "out of range for uint8"});
}

BOOST_AUTO_TEST_CASE(label_count_differs) {
  check_load_fails(Flaw::short_labels,
                   {"train_catvnoncat.h5", "'train_set_y': has 2 labels but 'train_set_x' has 3"});
}

BOOST_AUTO_TEST_CASE(label_not_binary) {
  check_load_fails(Flaw::label_two, {"train_catvnoncat.h5", "label 2 at index 1 is not 0 or 1"});
}

BOOST_AUTO_TEST_CASE(not_an_hdf5_file) {
  write_raw(dir / "train_catvnoncat.h5", Bytes(100, 'x'));
  check_data_error([&] { nn::load_catvnoncat(dir); }, {"train_catvnoncat.h5: not an HDF5 file"});
}

BOOST_AUTO_TEST_CASE(missing_file) {
  check_data_error([&] { nn::load_catvnoncat(dir); }, {"train_catvnoncat.h5: file not found"});
  train_file(Flaw::none);
  fs::remove(dir / "test_catvnoncat.h5");
  check_data_error([&] { nn::load_catvnoncat(dir); }, {"test_catvnoncat.h5: file not found"});
}

BOOST_AUTO_TEST_CASE(no_images) {
  write_cat_file(dir, "test", 2);
  write_cat_file(dir, "train", 0);
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {"train_catvnoncat.h5: dataset 'train_set_x': holds no images"});
}

BOOST_AUTO_TEST_CASE(a_named_pipe_is_refused_without_waiting) {
  BOOST_REQUIRE(::mkfifo((dir / "train_catvnoncat.h5").c_str(), 0644) == 0);
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {"train_catvnoncat.h5: is a named pipe (FIFO), not a regular file"});
}

BOOST_AUTO_TEST_CASE(images_that_would_not_fit_in_memory_are_refused_naming_the_file) {
  // 80000 pictures declared (983 MB as bytes, 9 GB with the copies a chapter makes), none
  // written: the chunked dataset takes no room in the file. Read in a child process whose
  // address space is held to 512 MiB more than it has.
  write_cat_file(dir, "test", 2);
  {
    const H5::H5File h5((dir / "train_catvnoncat.h5").string(), H5F_ACC_TRUNC);
    const std::vector<hsize_t> shape{80000, 64, 64, 3}, chunk{1, 64, 64, 3};
    H5::DSetCreatPropList chunked;
    chunked.setChunk(4, chunk.data());
    h5.createDataSet("train_set_x", H5::PredType::NATIVE_UINT8, H5::DataSpace(4, shape.data()),
                     chunked);
  }
  const std::string text = data_error_under_address_limit([&] { nn::load_catvnoncat(dir); },
                                                          dir / "message.txt", 512ul << 20);
  BOOST_TEST(text.find("train_catvnoncat.h5: dataset 'train_set_x': has shape (80000, 64, 64, 3): "
                       "reading it needs about") != std::string::npos,
             text);
  BOOST_TEST(text.ends_with(" that the address-space limit (ulimit -v) leaves"), text);
}

BOOST_AUTO_TEST_CASE(links_out_of_the_file_and_broken_links_are_refused_without_waiting) {
  // Before, an external link or external raw storage naming a named pipe waited for ever, and a
  // soft link that loops or names nothing gave "H5Oget_info_by_name failed".
  BOOST_REQUIRE(::mkfifo((dir / "pipe.h5").c_str(), 0644) == 0);
  const auto train_set_x_becomes = [&](const std::function<void(hid_t)>& link) {
    const fs::path file = train_file(Flaw::none);
    const H5::H5File h5(file.string(), H5F_ACC_RDWR);
    H5Ldelete(h5.getId(), "train_set_x", H5P_DEFAULT);
    link(h5.getId());
  };
  const std::string x = "train_catvnoncat.h5: dataset 'train_set_x': ";
  train_set_x_becomes([](hid_t h5) {
    H5Lcreate_external("pipe.h5", "/x", h5, "train_set_x", H5P_DEFAULT, H5P_DEFAULT);
  });
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {x + "is an external link to '/x' in pipe.h5: not read"});
  train_set_x_becomes([](hid_t h5) {
    H5Lcreate_external("pipe.h5", "/g", h5, "g", H5P_DEFAULT, H5P_DEFAULT);
    H5Lcreate_soft("/g/x", h5, "train_set_x", H5P_DEFAULT, H5P_DEFAULT);
  });
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {x + "a link on the way is an external link to '/g' in pipe.h5: not read"});
  train_set_x_becomes([](hid_t h5) {
    H5Lcreate_soft("a", h5, "train_set_x", H5P_DEFAULT, H5P_DEFAULT);
    H5Lcreate_soft("/train_set_x", h5, "a", H5P_DEFAULT, H5P_DEFAULT);
  });
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {x + "soft-link loop (/train_set_x -> /a -> /train_set_x)"});
  train_set_x_becomes(
      [](hid_t h5) { H5Lcreate_soft("/nothing", h5, "train_set_x", H5P_DEFAULT, H5P_DEFAULT); });
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {x + "is a soft link to '/nothing', which does not exist"});
}

BOOST_AUTO_TEST_CASE(values_kept_outside_the_file_are_refused_without_waiting) {
  // Raw storage in an external file that is a named pipe: before, the read waited for ever.
  const fs::path file = train_file(Flaw::none);
  {
    const H5::H5File h5(file.string(), H5F_ACC_RDWR);
    H5Ldelete(h5.getId(), "train_set_x", H5P_DEFAULT);
    const std::vector<hsize_t> shape{3, 64, 64, 3};
    H5::DSetCreatPropList external;
    external.setExternal((dir / "pixels.raw").c_str(), 0, 3 * kImageBytes);
    h5.createDataSet("train_set_x", H5::PredType::NATIVE_UINT8, H5::DataSpace(4, shape.data()),
                     external);
  }
  BOOST_REQUIRE(::mkfifo((dir / "pixels.raw").c_str(), 0644) == 0);
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {"train_catvnoncat.h5: dataset 'train_set_x': keeps its values in the external "
                    "file '" +
                    (dir / "pixels.raw").string() + "': not read"});
}

BOOST_AUTO_TEST_CASE(images_never_written_are_refused) {
  // Before, a dataset created and never written read as fill values: black images, trained on.
  const fs::path file = train_file(Flaw::none);
  {
    const H5::H5File h5(file.string(), H5F_ACC_RDWR);
    H5Ldelete(h5.getId(), "train_set_x", H5P_DEFAULT);
    const std::vector<hsize_t> shape{3, 64, 64, 3};
    h5.createDataSet("train_set_x", H5::PredType::NATIVE_UINT8, H5::DataSpace(4, shape.data()));
  }
  check_data_error([&] { nn::load_catvnoncat(dir); },
                   {"train_catvnoncat.h5: dataset 'train_set_x': was never written"});
}

BOOST_AUTO_TEST_CASE(truncated_file) {
  const fs::path file = train_file(Flaw::none);
  fs::resize_file(file, fs::file_size(file) / 2);
  check_data_error([&] { nn::load_catvnoncat(dir); }, {"train_catvnoncat.h5", "HDF5 error"});
}

BOOST_AUTO_TEST_SUITE_END()
