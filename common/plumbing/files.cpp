#include "common/plumbing/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <string_view>
#include <utility>

#include "common/nn/errors.hpp"

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
  int alive = -1;          // the descriptor that holds the staging folder's lock
  int out_fd = -1;         // --out itself, wherever it is moved during the run
  bool published = false;  // its files are in `out`, complete
};

// What a crash handler needs, in plain memory (it may not allocate nor lock): --out's
// descriptor, the staging folder's name in it ("" once it is gone or publishing) and the line.
struct CrashNote {
  int out_fd = -1;
  char program[64] = "";
  char staging[64] = "";
  char line[1024] = "";
};
CrashNote crash_note;

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

// The limit behind an error, where one is: the system's words alone do not say it.
std::string limit_hit(int errnum) {
  const auto limit = [](int resource) {
    rlimit l{};
    ::getrlimit(resource, &l);
    return l.rlim_cur == RLIM_INFINITY ? std::string("unlimited") : std::to_string(l.rlim_cur);
  };
  if (errnum == EFBIG)
    return " (the file-size limit, ulimit -f, is " + limit(RLIMIT_FSIZE) + " bytes)";
  if (errnum == EMFILE)
    return " (the open-files limit, ulimit -n, is " + limit(RLIMIT_NOFILE) + ")";
  return "";
}

[[noreturn]] void cannot_write(const fs::path& file, int errnum) {
  throw OutputError(shown(file).string() + ": cannot write: " + reason(errnum) + limit_hit(errnum));
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

// Whether `name` is a staging folder's: .partial-<pid>-XXXXXX exactly (mkdtemp's six letters and
// digits), so that a folder of the learner's that merely starts with .partial- is never taken.
bool is_staging_name(std::string_view name) {
  if (!name.starts_with(kStagingPrefix)) return false;
  name.remove_prefix(kStagingPrefix.size());
  const std::size_t dash = name.find('-');
  const auto all = [](std::string_view text, int (*is)(int)) {
    return std::all_of(text.begin(), text.end(), [is](char c) { return is(c) != 0; });
  };
  return dash != 0 && dash != std::string_view::npos && all(name.substr(0, dash), ::isdigit) &&
         name.size() - dash - 1 == 6 && all(name.substr(dash + 1), ::isalnum);
}

// Removes `name` in the folder `dirfd` and all it holds, with system calls only (no allocation,
// no lock): safe in a signal handler, and it reaches the folder wherever --out has moved.
void remove_tree_at(int dirfd, const char* name) {
  if (::unlinkat(dirfd, name, 0) == 0 || errno != EISDIR) return;
  const int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    alignas(dirent64) char entries[2048];
    // Pass after pass from the start, until one finds nothing but . and ..
    for (bool found = true; found; ::lseek(fd, 0, SEEK_SET)) {
      found = false;
      for (ssize_t n; (n = ::getdents64(fd, entries, sizeof entries)) > 0;)
        for (ssize_t at = 0; at < n;) {
          const auto* entry = reinterpret_cast<const dirent64*>(entries + at);
          at += entry->d_reclen;
          if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0)
            continue;
          remove_tree_at(fd, entry->d_name);
          found = true;
        }
    }
    ::close(fd);
  }
  ::unlinkat(dirfd, name, AT_REMOVEDIR);
}
// Inside a staging folder while it publishes: the names it moves into --out, and the folder
// the files it replaces wait in until the publish is complete.
constexpr const char* kJournal = ".publishing";
constexpr const char* kPrevious = ".previous";

bool lexists(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_folder(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// An advisory lock (flock) on a folder, held while the object lives or, after release(), until
// the process ends; the descriptor closes on exec, so that gnuplot never holds it.
class FolderLock {
 public:
  enum class State { held, busy, unsupported };
  // `wait`: until the other holder lets go (--out is locked only while a run sets up or
  // publishes, milliseconds); otherwise `busy` when another process holds it.
  FolderLock(const fs::path& dir, bool wait) {
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) return;
    int locked = 0;
    while ((locked = ::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB))) != 0 && errno == EINTR) {
    }
    if (locked != 0) state_ = errno == EWOULDBLOCK ? State::busy : State::unsupported;
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  State state() const { return fd_ < 0 ? State::unsupported : state_; }
  // Keeps the lock after the object is gone; closing the descriptor it returns lets go.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
  State state_ = State::held;
};

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

// Undoes a publish that stopped half-way, whose journal is still in `staging`: the files that
// had moved into `out` go back, and the previous run's files return from staging/.previous.
void roll_back(const fs::path& staging, const fs::path& out) {
  const fs::path journal = staging / kJournal;
  if (!lexists(journal)) return;
  for (const std::string& name : read_names(journal))
    if (!lexists(staging / name) && lexists(out / name))
      ::rename((out / name).c_str(), (staging / name).c_str());
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(staging / kPrevious, ec))
    ::rename(entry.path().c_str(), (out / entry.path().filename()).c_str());
  ::unlink(journal.c_str());
}

// Removes the staging folders in `out` that no live run holds locked (killed by SIGKILL or a
// power cut: an interruption by a signal removes its own), after undoing a publish that one of
// them had begun. Where folders cannot be locked (some network filesystems), a folder counts as
// abandoned when the process its name carries no longer runs. The caller locks `out`.
void remove_abandoned_staging(const fs::path& out) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_staging_name(name) || !is_folder(entry.path())) continue;
    const FolderLock alive(entry.path(), false);
    if (alive.state() == FolderLock::State::busy) continue;
    const long pid = std::strtol(name.c_str() + kStagingPrefix.size(), nullptr, 10);
    if (alive.state() == FolderLock::State::unsupported &&
        !(pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH))
      continue;
    roll_back(entry.path(), out);
    fs::remove_all(entry.path(), ec);
  }
}

// Refuses an --out that cannot be a folder, saying why in words: the system's reasons for
// these ("File exists") do not tell.
void check_out_folder(const fs::path& out) {
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(out, ec);
  if (fs::is_symlink(link)) {
    const fs::path target = fs::read_symlink(out, ec);
    if (!fs::exists(fs::status(out, ec)))
      throw OutputError(
          "--out " + out.string() + ": is a symbolic link to " + target.string() + ", which " +
          (ec && ec != std::errc::no_such_file_or_directory ? "cannot be followed: " + ec.message()
                                                            : std::string("does not exist")));
  }
  if (fs::exists(link) && !fs::is_directory(out, ec))
    throw OutputError("--out " + out.string() + ": is a file, not a folder");
}

// Removes the run's staging folder (the caller holds output_mutex), through --out's descriptor,
// then lets go of its lock.
void remove_staging(Run& run) {
  crash_note.staging[0] = '\0';
  if (run.staging.empty()) return;
  remove_tree_at(run.out_fd, run.staging.filename().c_str());
  run.staging.clear();
  if (run.alive >= 0) ::close(std::exchange(run.alive, -1));
  if (run.out_fd >= 0) ::close(std::exchange(run.out_fd, -1));
}

// Refuses to publish into a --out that is no longer the folder the run began in (moved,
// renamed or removed meanwhile): the staging folder went with it, and clean-up finds it there.
void check_out_unmoved(const Run& run) {
  struct stat now {
  }, began{};
  if (::stat(run.out.c_str(), &now) == 0 && ::fstat(run.out_fd, &began) == 0 &&
      now.st_dev == began.st_dev && now.st_ino == began.st_ino)
    return;
  throw OutputError("--out " + run.out.string() +
                    ": the folder was moved or removed during the run: nothing published");
}

}  // namespace

void write_file_atomic(const fs::path& file, const std::string& text) {
  const std::lock_guard lock(output_mutex());
  write_locked(file, text);
}

fs::path begin_run(const std::string& program, const fs::path& out) {
  {
    const std::lock_guard lock(output_mutex());
    current_run() = Run{program, {}, out};  // named in a message should a signal come now
  }
  check_out_folder(out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw OutputError(out.string() + ": cannot create the folder: " + ec.message());
  const FolderLock setting_up(out, true);
  remove_abandoned_staging(out);
  std::string name =
      (out / (std::string(kStagingPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(name.data()) == nullptr)
    throw OutputError(out.string() + ": cannot write: " + reason(errno) + limit_hit(errno));
  const std::lock_guard lock(output_mutex());
  Run& run = current_run();
  run.staging = name;
  run.out_fd = ::open(out.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  run.alive = FolderLock(name, false).release();  // held while this run is alive
  if (run.out_fd < 0 || run.alive < 0) {
    const int errnum = errno;
    ::rmdir(name.c_str());
    run.staging.clear();
    if (run.out_fd >= 0) ::close(std::exchange(run.out_fd, -1));
    throw OutputError(out.string() + ": cannot open: " + reason(errnum) + limit_hit(errnum));
  }
  crash_note.out_fd = run.out_fd;
  std::snprintf(crash_note.program, sizeof crash_note.program, "%s", program.c_str());
  std::snprintf(crash_note.staging, sizeof crash_note.staging, "%s",
                run.staging.filename().c_str());
  std::snprintf(crash_note.line, sizeof crash_note.line, ": nothing written to %s\n", out.c_str());
  return name;
}

void publish_run(const std::vector<fs::path>& inputs) {
  // Waited for without output_mutex: a signal meanwhile cleans up as before publishing.
  const FolderLock publishing(current_run().out, true);
  const std::lock_guard lock(output_mutex());
  Run& run = current_run();
  check_out_unmoved(run);
  // A publish abandoned while this run worked is undone now, before this one: undone later, by
  // the next run, it would replay the older files over this run's.
  remove_abandoned_staging(run.out);
  const std::string list = "." + run.program + ".outputs";
  std::set<std::string> written;
  for (const auto& entry : fs::directory_iterator(run.staging))
    written.insert(entry.path().filename().string());
  const std::set<std::string> listed = read_names(run.out / list);
  std::set<std::string> now = written, replaced;
  for (const std::string& name : listed) {
    std::error_code ec;
    if (written.count(name) == 0 &&
        std::any_of(inputs.begin(), inputs.end(),
                    [&](const fs::path& in) { return fs::equivalent(in, run.out / name, ec); }))
      now.insert(name);  // read by this run (--load): kept
    else
      replaced.insert(name);
  }
  write_locked(run.staging / list, names_text(now));
  written.insert(list);
  replaced.insert(written.begin(), written.end());
  std::erase_if(replaced, [&](const std::string& name) { return !lexists(run.out / name); });
  for (const std::string& name : replaced)
    if (is_folder(run.out / name))
      throw OutputError((run.out / name).string() + ": is a folder where this run writes a file" +
                        ": nothing published, move it away");
  // The journal names what moves into --out: a publish cut short (SIGKILL, a crash, a power cut)
  // is undone by the next run, as is one that fails here; a crash leaves the staging folder.
  crash_note.staging[0] = '\0';
  write_locked(run.staging / kJournal, names_text(written));
  const fs::path previous = run.staging / kPrevious;
  if (::mkdir(previous.c_str(), 0755) != 0) cannot_write(previous, errno);
  const auto move = [&](const fs::path& from, const fs::path& to, const std::string& name) {
    if (::rename(from.c_str(), to.c_str()) == 0) return;
    const int errnum = errno;
    roll_back(run.staging, run.out);
    throw OutputError((run.out / name).string() + ": cannot write: " + reason(errnum) +
                      " (nothing published)");
  };
  for (const std::string& name : replaced) move(run.out / name, previous / name, name);
  for (const std::string& name : written) move(run.staging / name, run.out / name, name);
  ::unlink((run.staging / kJournal).c_str());  // done: the files in --out are this run's
  remove_staging(run);  // published: an interruption from now on undoes nothing
  run.published = true;
}

void end_run() {
  const std::lock_guard lock(output_mutex());
  remove_staging(current_run());
}

void keep_saved_file(const std::string& flag, const fs::path& input, const std::string& saved_as) {
  const Run& run = current_run();
  const fs::path saved = run.out / saved_as;
  std::error_code ec;
  if (read_names(run.out / ("." + run.program + ".outputs")).count(saved_as) == 0 ||
      !lexists(saved) || fs::equivalent(input, saved, ec))
    return;
  throw UsageError(flag + " " + input.string() + ": " + saved.string() +
                   " is the model an earlier run saved, and publishing this run would remove "
                   "it (use another --out, or " +
                   flag + " " + saved.string() + ")");
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
  // The child first, without the lock: a writer may be waiting for gnuplot under it. It leads a
  // process group of its own, killed whole.
  if (const pid_t pid = child.load(); pid > 0) ::kill(-pid, SIGKILL);
  output_mutex().lock();  // never unlocked: no file is created from now on
  if (const pid_t pid = child.load(); pid > 0) {
    ::kill(-pid, SIGKILL);
    siginfo_t info;
    ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT);  // gone before cleaning
  }
  Run& run = current_run();
  std::string state = ": nothing written";
  if (!run.staging.empty()) {
    remove_tree_at(run.out_fd, run.staging.filename().c_str());
    state += " to " + run.out.string();
  } else if (run.published) {
    state = " after its outputs were published: " + run.out.string() + " holds them all";
  }
  const char* abbrev = ::sigabbrev_np(signal);
  const char* limit = signal == SIGXCPU ? " (the CPU-time limit, ulimit -t)" : "";
  std::cerr << (run.program.empty() ? program_invocation_short_name : run.program.c_str())
            << ": interrupted by SIG" << (abbrev != nullptr ? abbrev : "?") << limit << state
            << std::endl;
  ::_exit(128 + signal);
}

void crashed(int signal) noexcept {
  const auto say = [](const char* text) {
    [[maybe_unused]] const ssize_t ignored = ::write(2, text, std::strlen(text));
  };
  const char* abbrev = ::sigabbrev_np(signal);
  say(crash_note.program[0] != '\0' ? crash_note.program : program_invocation_short_name);
  say(": crashed with SIG");
  say(abbrev != nullptr ? abbrev : "?");
  say(" (out of stack? see ulimit -s)");
  if (crash_note.staging[0] == '\0') {
    say("\n");
    return;
  }
  remove_tree_at(crash_note.out_fd, crash_note.staging);
  say(crash_note.line);
}

}  // namespace nn
