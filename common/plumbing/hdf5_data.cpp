// Reading HDF5 datasets with the HDF5 C++ API, and the "cat vs non-cat" loader built on it.
// Each public function checks what it can before reading (file, dataset, type class, rank,
// size) and turns any H5::Exception into a one-line DataError naming file and dataset.
#include "common/plumbing/hdf5_data.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <utility>

#include "common/nn/errors.hpp"
#include "common/plumbing/files.hpp"
#include "common/plumbing/memory.hpp"

namespace nn {
namespace {

namespace fs = std::filesystem;

// Largest dataset read, in bytes after conversion; the cat set's train_set_x is 2.5 MB.
constexpr hsize_t kMaxBytes = hsize_t{1} << 30;

// The cat images: m x 64 x 64 x 3.
constexpr hsize_t kCatSide = 64;
constexpr hsize_t kCatChannels = 3;

// What a message is about: a file, and a dataset in it unless `dataset` is empty.
struct Where {
  fs::path file;
  std::string dataset;

  [[noreturn]] void fail(const std::string& problem) const {
    const std::string in = dataset.empty() ? "" : ": dataset '" + dataset + "'";
    throw DataError(file.string() + in + ": " + problem);
  }
};

// The innermost message on HDF5's error stack says what went wrong (e.g. "truncated file"),
// where the exception itself only says which call failed.
std::string innermost_hdf5_error() {
  std::string text;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* error, void* out) -> herr_t {
        if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(out) = error->desc;
        return 0;
      },
      &text);
  return text;
}

// Runs body(), turning HDF5's exceptions into DataError.
template <typename Body>
auto guarded(const Where& at, Body&& body) {
  H5::Exception::dontPrint();
  try {
    return body();
  } catch (const H5::Exception& e) {
    const std::string detail = innermost_hdf5_error();
    at.fail("HDF5 error: " + e.getDetailMsg() + (detail.empty() ? "" : " (" + detail + ")"));
  }
}

H5::H5File open_file(const Where& at) {
  const Where file_only{at.file, ""};
  check_regular_file(at.file);  // HDF5 would wait forever on a named pipe
  if (!H5::H5File::isHdf5(at.file.string())) file_only.fail("not an HDF5 file");
  return H5::H5File(at.file.string(), H5F_ACC_RDONLY);
}

// Link access that refuses to follow an external link anywhere on a path (it would open another
// file: a named pipe there waits for ever), noting where it pointed.
struct NoExternalLinks {
  H5::DSetAccPropList access;
  std::string target;  // "file:path" of the last external link refused

  NoExternalLinks() {
    H5Pset_elink_cb(
        access.getId(),
        [](const char*, const char*, const char* file, const char* path, unsigned*, hid_t,
           void* target) -> herr_t {
          *static_cast<std::string*>(target) = std::string(path) + "' in " + file;
          return -1;
        },
        &target);
  }
  NoExternalLinks(const NoExternalLinks&) = delete;
  NoExternalLinks& operator=(const NoExternalLinks&) = delete;
};

// The name of the hard link `at.dataset` leads to, through soft links; refuses an external link,
// a soft link to nothing and a chain of soft links that comes back on itself.
std::string follow_links(const H5::H5File& h5, const Where& at, NoExternalLinks& links) {
  std::vector<std::string> seen;
  for (std::string name = at.dataset;;) {
    bool exists = false;
    try {
      exists = h5.nameExists(name, links.access);
    } catch (const H5::Exception&) {
      if (links.target.empty()) throw;
      at.fail("a link on the way is an external link to '" + links.target + ": not read");
    }
    if (!exists && seen.empty()) at.fail("no such dataset in the file");
    if (!exists) at.fail("is a soft link to '" + name + "', which does not exist");
    H5L_info_t info{};
    if (H5Lget_info(h5.getId(), name.c_str(), &info, links.access.getId()) < 0 ||
        info.type == H5L_TYPE_HARD)
      return name;
    std::vector<char> value(info.u.val_size + 1, '\0');
    H5Lget_val(h5.getId(), name.c_str(), value.data(), value.size(), links.access.getId());
    if (info.type != H5L_TYPE_SOFT) {
      const char *file = "?", *path = "?";
      H5Lunpack_elink_val(value.data(), info.u.val_size, nullptr, &file, &path);
      at.fail(info.type == H5L_TYPE_EXTERNAL
                  ? "is an external link to '" + std::string(path) + "' in " + file + ": not read"
                  : "is a user-defined link: not read");
    }
    // (the names here are in the root group: "a" is "/a")
    const auto absolute = [](const std::string& path) {
      return path.starts_with('/') ? path : "/" + path;
    };
    seen.push_back(absolute(name));
    name = value.data();
    if (std::find(seen.begin(), seen.end(), absolute(name)) != seen.end()) {
      std::string chain;
      for (const std::string& step : seen) chain += step + " -> ";
      at.fail("soft-link loop (" + chain + absolute(name) + ")");
    }
  }
}

// A dataset whose values are in this file: not in external raw files (read as they are, a named
// pipe among them waits for ever), nor in other files' datasets (a virtual dataset).
void check_storage(const H5::DataSet& ds, const Where& at) {
  const H5::DSetCreatPropList creation = ds.getCreatePlist();
  if (creation.getExternalCount() > 0) {
    char name[1024] = "?";
    off_t offset = 0;
    hsize_t size = 0;
    creation.getExternal(0, sizeof name, name, offset, size);
    at.fail("keeps its values in the external file '" + std::string(name) + "': not read");
  }
  if (creation.getLayout() == H5D_VIRTUAL)
    at.fail(
        "is a virtual dataset (its values are in "
        "other files): not read");
}

H5::DataSet open_dataset(const H5::H5File& h5, const Where& at) {
  NoExternalLinks links;
  const std::string name = follow_links(h5, at, links);
  if (h5.childObjType(name) != H5O_TYPE_DATASET) at.fail("is not a dataset");
  H5::DataSet ds = h5.openDataSet(name, links.access);
  check_storage(ds, at);
  return ds;
}

std::string shape_text(const std::vector<hsize_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i == 0 ? "" : ", ") + std::to_string(shape[i]);
  }
  return text + (shape.size() == 1 ? ",)" : ")");
}

std::vector<hsize_t> shape_of(const H5::DataSet& ds, const Where& at, std::size_t rank) {
  const H5::DataSpace space = ds.getSpace();
  const int found = space.getSimpleExtentNdims();
  if (found < 0 || static_cast<std::size_t>(found) != rank) {
    at.fail("has rank " + std::to_string(found) + ", expected " + std::to_string(rank));
  }
  std::vector<hsize_t> shape(rank);
  if (rank > 0) space.getSimpleExtentDims(shape.data());
  return shape;
}

// The number of elements, refusing shapes whose data would exceed kMaxBytes.
std::size_t element_count(const std::vector<hsize_t>& shape, std::size_t element_size,
                          const Where& at) {
  const hsize_t limit = kMaxBytes / std::max<std::size_t>(element_size, 1);
  hsize_t count = 1;
  for (const hsize_t dim : shape) {
    if (dim != 0 && count > limit / dim) {
      at.fail("shape " + shape_text(shape) + " is over the limit of " + std::to_string(kMaxBytes) +
              " bytes");
    }
    count *= dim;
  }
  return static_cast<std::size_t>(count);
}

std::string class_name(H5T_class_t type_class) {
  switch (type_class) {
    case H5T_FLOAT:
      return "floating-point";
    case H5T_STRING:
      return "string";
    case H5T_INTEGER:
      return "integer";
    default:
      return "non-numeric";
  }
}

void check_class(const H5::DataSet& ds, H5T_class_t expected, const Where& at) {
  const H5T_class_t found = ds.getTypeClass();
  if (found != expected) {
    at.fail("holds " + class_name(found) + " values, expected " + class_name(expected) + "s");
  }
}

// Makes HDF5 abort a read whose values do not fit the memory type, instead of clipping them.
H5T_conv_ret_t abort_on_overflow(H5T_conv_except_t kind, hid_t, hid_t, void*, void*,
                                 void* overflowed) {
  if (kind != H5T_CONV_EXCEPT_RANGE_HI && kind != H5T_CONV_EXCEPT_RANGE_LOW) {
    return H5T_CONV_UNHANDLED;
  }
  *static_cast<bool*>(overflowed) = true;
  return H5T_CONV_ABORT;
}

template <typename T>
std::vector<T> read_integers(const Where& at, std::size_t rank, const H5::PredType& memory_type,
                             const char* type_name, std::vector<hsize_t>& shape) {
  const H5::H5File h5 = open_file(at);
  const H5::DataSet ds = open_dataset(h5, at);
  check_class(ds, H5T_INTEGER, at);
  shape = shape_of(ds, at, rank);
  const std::size_t count = element_count(shape, sizeof(T), at);
  // The values, the matrix they are copied into and the doubles a chapter trains on.
  if (const std::string problem = memory_shortfall(double(count) * (2 * sizeof(T) + 8));
      !problem.empty())
    at.fail("has shape " + shape_text(shape) + ": reading it " + problem);
  std::vector<T> values(count);
  if (values.empty()) return values;
  // Values never written read as the fill value (black images, label 0), without an error.
  H5D_space_status_t written{};
  ds.getSpaceStatus(written);
  if (written == H5D_SPACE_STATUS_NOT_ALLOCATED) at.fail("was never written (no values stored)");
  if (written == H5D_SPACE_STATUS_PART_ALLOCATED) at.fail("was only partly written");
  bool overflowed = false;
  H5::DSetMemXferPropList transfer;
  transfer.setTypeConvCB(abort_on_overflow, &overflowed);
  try {
    ds.read(values.data(), memory_type, H5::DataSpace::ALL, H5::DataSpace::ALL, transfer);
  } catch (const H5::Exception&) {
    if (overflowed) at.fail(std::string("holds values out of range for ") + type_name);
    throw;
  }
  return values;
}

struct CatSplit {
  fs::path file;
  arma::Mat<unsigned char> images;
  arma::rowvec labels;
  std::vector<std::string> classes;
};

// Reads dir/<split>_catvnoncat.h5 and checks its shapes, labels and classes.
CatSplit read_cat_split(const fs::path& dir, const std::string& split) {
  const fs::path file = dir / (split + "_catvnoncat.h5");
  const std::string x_name = split + "_set_x", y_name = split + "_set_y";
  const std::string classes_name = "list_classes";
  const Hdf5Bytes x = read_hdf5_uint8(file, x_name, 4);
  if (x.shape[1] != kCatSide || x.shape[2] != kCatSide || x.shape[3] != kCatChannels) {
    Where{file, x_name}.fail("has shape " + shape_text(x.shape) + ", expected (m, 64, 64, 3)");
  }
  const hsize_t m = x.shape[0];
  if (m == 0) Where{file, x_name}.fail("holds no images (shape " + shape_text(x.shape) + ")");
  const std::vector<std::int64_t> y = read_hdf5_int64(file, y_name, 1);
  if (y.size() != m) {
    Where{file, y_name}.fail("has " + std::to_string(y.size()) + " labels but '" + x_name +
                             "' has " + std::to_string(m) + " images");
  }
  const auto bad =
      std::find_if(y.begin(), y.end(), [](std::int64_t v) { return v != 0 && v != 1; });
  if (bad != y.end()) {
    Where{file, y_name}.fail("label " + std::to_string(*bad) + " at index " +
                             std::to_string(bad - y.begin()) + " is not 0 or 1");
  }
  CatSplit out{file,
               arma::Mat<unsigned char>(kCatSide * kCatSide * kCatChannels, m, arma::fill::none),
               arma::rowvec(m), read_hdf5_strings(file, classes_name)};
  // Image j's C-order bytes are contiguous, so they fill column j of the column-major matrix.
  std::copy(x.values.begin(), x.values.end(), out.images.begin());
  std::copy(y.begin(), y.end(), out.labels.begin());
  if (out.classes.size() != 2) {
    Where{file, classes_name}.fail("has " + std::to_string(out.classes.size()) +
                                   " entries, expected 2");
  }
  return out;
}

}  // namespace

Hdf5Bytes read_hdf5_uint8(const fs::path& file, const std::string& dataset,
                          std::size_t expected_rank) {
  const Where at{file, dataset};
  return guarded(at, [&] {
    Hdf5Bytes out;
    out.values = read_integers<unsigned char>(at, expected_rank, H5::PredType::NATIVE_UINT8,
                                              "uint8", out.shape);
    return out;
  });
}

std::vector<std::int64_t> read_hdf5_int64(const fs::path& file, const std::string& dataset,
                                          std::size_t expected_rank) {
  const Where at{file, dataset};
  return guarded(at, [&] {
    std::vector<hsize_t> shape;
    return read_integers<std::int64_t>(at, expected_rank, H5::PredType::NATIVE_INT64, "int64",
                                       shape);
  });
}

std::vector<std::string> read_hdf5_strings(const fs::path& file, const std::string& dataset) {
  const Where at{file, dataset};
  return guarded(at, [&] {
    const H5::H5File h5 = open_file(at);
    const H5::DataSet ds = open_dataset(h5, at);
    check_class(ds, H5T_STRING, at);
    const H5::StrType type = ds.getStrType();
    if (type.isVariableStr()) at.fail("holds variable-length strings, expected fixed-length");
    const std::size_t width = type.getSize();
    std::vector<char> raw(element_count(shape_of(ds, at, 1), width, at) * width);
    if (!raw.empty()) ds.read(raw.data(), type);
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < raw.size(); i += width) {
      std::string s(raw.data() + i, width);
      s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
      if (type.getStrpad() == H5T_STR_SPACEPAD) s.erase(s.find_last_not_of(' ') + 1);
      strings.push_back(std::move(s));
    }
    return strings;
  });
}

CatData load_catvnoncat(const fs::path& dir) {
  CatSplit train = read_cat_split(dir, "train");
  CatSplit test = read_cat_split(dir, "test");
  if (test.classes != train.classes) {
    throw DataError(test.file.string() + ": dataset 'list_classes' differs from the one in " +
                    train.file.string());
  }
  return CatData{std::move(train.images), std::move(test.images), std::move(train.labels),
                 std::move(test.labels), std::move(train.classes)};
}

CatSet load_cat_set(const std::filesystem::path& dir) {
  const CatData cats = load_catvnoncat(dir);
  CatSet data;
  // [book:data]
  // Column j is image j's bytes in (row, column, channel) order, scaled to [0, 1].
  data.X_train = arma::conv_to<arma::mat>::from(cats.train_images) / 255.0;
  data.X_test = arma::conv_to<arma::mat>::from(cats.test_images) / 255.0;
  // [/book:data]
  data.Y_train = cats.train_labels;
  data.Y_test = cats.test_labels;
  data.test_images = cats.test_images;
  data.classes = cats.classes;
  return data;
}

}  // namespace nn
