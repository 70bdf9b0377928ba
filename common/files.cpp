#include "common/files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <string_view>

#include "common/errors.hpp"

namespace nn {

namespace fs = std::filesystem;

namespace {

std::string reason(int errnum) {
  return std::strerror(errnum);
}

// Writes all of `text` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "is a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "is a character device";
  if (S_ISBLK(mode)) return "is a block device";
  if (S_ISSOCK(mode)) return "is a socket";
  return "is not a regular file";
}

[[noreturn]] void refuse(const fs::path& file, const std::string& problem) {
  throw DataError(file.string() + ": " + problem);
}

void check_mode(const fs::path& file, mode_t mode) {
  if (!S_ISREG(mode)) refuse(file, std::string(kind_of(mode)) + ", not a regular file");
}

struct Run {
  std::string program;
  fs::path staging, out;
};

Run& current_run() {
  static Run* run = new Run;  // never destroyed: the signal thread may use it during exit
  return *run;
}

std::atomic<pid_t> child{0};

}  // namespace

volatile std::sig_atomic_t pending_signal = 0;

std::mutex& output_mutex() {
  static std::mutex* mutex = new std::mutex;
  return *mutex;
}

int open_regular_file(const fs::path& file) {
  // O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then refuses it.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) refuse(file, "file not found");
    refuse(file, "cannot open: " + reason(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    check_mode(file, st.st_mode);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

void check_regular_file(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) refuse(file, "file not found");
    refuse(file, "cannot open: " + reason(errno));
  }
  check_mode(file, st.st_mode);
}

namespace {

[[noreturn]] void cannot_write(const fs::path& file, int errnum) {
  throw OutputError(shown(file).string() + ": cannot write: " + reason(errnum));
}

// write_file_atomic's work, for callers that hold output_mutex().
void write_locked(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) cannot_write(tmp, errno);
  int errnum = write_all(fd, text);
  if (::close(fd) != 0 && errnum == 0) errnum = errno;  // NFS and full disks report here
  if (errnum == 0 && ::rename(tmp.c_str(), file.c_str()) != 0) errnum = errno;
  if (errnum != 0) {
    ::unlink(tmp.c_str());
    cannot_write(file, errnum);
  }
}

constexpr std::string_view kStagingPrefix = ".partial-";

// Removes the staging folders in `out` whose process no longer runs (killed by SIGKILL or a
// power cut: an interruption by SIGINT or SIGTERM removes its own).
void remove_abandoned_staging(const fs::path& out) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kStagingPrefix)) continue;
    const long pid = std::strtol(name.c_str() + kStagingPrefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      fs::remove_all(entry.path(), ec);
  }
}

std::set<std::string> read_names(const fs::path& list) {
  std::set<std::string> names;
  std::ifstream in(list);
  for (std::string name; std::getline(in, name);)
    if (!name.empty() && name.find('/') == std::string::npos && name != "." && name != "..")
      names.insert(name);
  return names;
}

std::string names_text(const std::set<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += name + "\n";
  return text;
}

}  // namespace

void write_file_atomic(const fs::path& file, const std::string& text) {
  const std::lock_guard lock(output_mutex());
  write_locked(file, text);
}

fs::path begin_run(const std::string& program, const fs::path& out) {
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw OutputError(out.string() + ": cannot create the folder: " + ec.message());
  remove_abandoned_staging(out);
  std::string name =
      (out / (std::string(kStagingPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(name.data()) == nullptr)
    throw OutputError(out.string() + ": cannot write: " + reason(errno));
  const std::lock_guard lock(output_mutex());
  current_run() = Run{program, name, out};
  return name;
}

void publish_run(const std::vector<fs::path>& inputs) {
  const std::lock_guard lock(output_mutex());
  const Run& run = current_run();
  const fs::path list = run.out / ("." + run.program + ".outputs");
  std::set<std::string> written;
  for (const auto& entry : fs::directory_iterator(run.staging))
    written.insert(entry.path().filename().string());
  std::set<std::string> listed = read_names(list);
  // The list names every file that may be ours before anything moves, so that a run killed
  // half-way through (SIGKILL, a power cut) leaves nothing its successor will not clean up.
  listed.insert(written.begin(), written.end());
  write_locked(list, names_text(listed));
  std::set<std::string> now = written;
  for (const std::string& name : listed) {
    if (written.count(name) != 0) continue;
    const fs::path old = run.out / name;
    std::error_code ec;
    if (std::any_of(inputs.begin(), inputs.end(),
                    [&](const fs::path& in) { return fs::equivalent(in, old, ec); })) {
      now.insert(name);  // read by this run (--load): kept
    } else if (fs::remove_all(old, ec) == static_cast<std::uintmax_t>(-1)) {
      throw OutputError(old.string() + ": cannot remove the previous run's file: " + ec.message());
    }
  }
  for (const std::string& name : written)
    if (::rename((run.staging / name).c_str(), (run.out / name).c_str()) != 0)
      cannot_write(run.out / name, errno);
  write_locked(list, names_text(now));
  ::rmdir(run.staging.c_str());
  current_run().staging.clear();  // published: an interruption from now on undoes nothing
}

void end_run() {
  const std::lock_guard lock(output_mutex());
  Run& run = current_run();
  if (run.staging.empty()) return;
  std::error_code ignored;
  fs::remove_all(run.staging, ignored);
  run.staging.clear();
}

fs::path shown(const fs::path& path) {
  const Run& run = current_run();
  if (run.staging.empty()) return path;
  const fs::path relative = path.lexically_relative(run.staging);
  if (relative.empty() || *relative.begin() == "..") return path;
  return run.out / relative;
}

void set_child(pid_t pid) {
  child = pid;
}

void interrupted(int signal) {
  // The child first, without the lock: a writer may be waiting for gnuplot under it.
  if (const pid_t pid = child.load(); pid > 0) ::kill(pid, SIGKILL);
  output_mutex().lock();  // never unlocked: no file is created from now on
  if (const pid_t pid = child.load(); pid > 0) {
    ::kill(pid, SIGKILL);
    siginfo_t info;
    ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT);  // gone before cleaning
  }
  const Run& run = current_run();
  if (!run.staging.empty()) {
    std::error_code ignored;
    fs::remove_all(run.staging, ignored);
    std::cerr << run.program << ": interrupted by " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
              << ": nothing written to " << run.out.string() << std::endl;
  }
  ::_exit(128 + signal);
}

}  // namespace nn
