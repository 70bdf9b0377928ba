#include "common/plumbing/cli.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <new>
#include <sstream>
#include <system_error>
#include <type_traits>

#include <fmt/format.h>

#include "common/nn/errors.hpp"
#include "common/plumbing/blas_kernel.hpp"
#include "common/plumbing/files.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/plot.hpp"

namespace nn {

namespace {

constexpr long long kMaxSeed = std::numeric_limits<std::uint32_t>::max();

// CLI11 validators return "" when the text is acceptable and a reason otherwise.
// "" when `text` is a number, and the complaint otherwise; the number in `v`.
std::string read_number(const std::string& text, double& v) {
  char* end = nullptr;
  v = std::strtod(text.c_str(), &end);
  return end == text.c_str() || *end != '\0' ? "'" + text + "' is not a number" : "";
}

// A finite real number, > 0 or (allow_zero) ≥ 0, and at most `maximum` (`why` says what goes
// wrong above it).
CLI::Validator finite_number(bool allow_zero,
                             double maximum = std::numeric_limits<double>::infinity(),
                             std::string why = "") {
  return CLI::Validator(
      [allow_zero, maximum, why](std::string& text) -> std::string {
        double v = 0;
        if (std::string problem = read_number(text, v); !problem.empty()) return problem;
        if (!std::isfinite(v) || v < 0 || (v == 0 && !allow_zero))
          return (allow_zero ? "must be finite and >= 0, got " : "must be finite and > 0, got ") +
                 text;
        if (v > maximum)
          return "must be at most " + fmt::format("{:g}", maximum) + ", got " + text +
                 (why.empty() ? "" : ": " + why);
        return "";
      },
      std::string(allow_zero ? ">= 0" : "> 0") +
          (std::isfinite(maximum) ? fmt::format(", <= {:g}", maximum) : ""));
}

// A real number in minimum..maximum.
CLI::Validator number_between(double minimum, double maximum) {
  const std::string range = fmt::format("{:g}", minimum) + " and " + fmt::format("{:g}", maximum);
  return CLI::Validator(
      [minimum, maximum, range](std::string& text) -> std::string {
        double v = 0;
        if (std::string problem = read_number(text, v); !problem.empty()) return problem;
        if (!(v >= minimum && v <= maximum)) return "must be between " + range + ", got " + text;
        return "";
      },
      fmt::format("{:g}..{:g}", minimum, maximum));
}

// A whole number in decimal (CLI11 alone would read 010 as 8 and 0x10 as 16), in
// minimum..maximum. The text is rewritten in canonical decimal for CLI11's conversion.
CLI::Validator whole_number(long long minimum, long long maximum) {
  const std::string range = std::to_string(minimum) + ".." + std::to_string(maximum);
  return CLI::Validator(
      [minimum, maximum, range](std::string& text) -> std::string {
        const std::size_t digits = text.starts_with('-') ? 1 : 0;
        if (text.size() == digits ||
            text.find_first_not_of("0123456789", digits) != std::string::npos)
          return "'" + text + "' is not a whole number in decimal";
        errno = 0;
        const long long v = std::strtoll(text.c_str(), nullptr, 10);
        if (errno == ERANGE || v < minimum || v > maximum)
          return "must be a whole number in " + range + ", got " + text;
        text = std::to_string(v);
        return "";
      },
      range);
}

// The items of a comma-separated list, empty ones kept: CLI11's own splitting drops them, so
// that "0.1,,3" would read as 0.1,3 and "2," as 2.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
    items.push_back(text.substr(start, comma - start));
  items.push_back(text.substr(start));
  return items;
}

// `item` on every item of a comma-separated list (which it may rewrite); an empty item is
// refused.
CLI::Validator list_of(const CLI::Validator& item) {
  return CLI::Validator(
      [item](std::string& text) -> std::string {
        std::string checked;
        for (std::string piece : split_list(text)) {
          if (piece.empty())
            return "'" + text + "' has an empty item (two commas, or one at an end)";
          if (std::string problem = item(piece); !problem.empty()) return problem;
          checked += (checked.empty() ? "" : ",") + piece;
        }
        text = checked;
        return "";
      },
      item.get_description());
}

// A list flag (--hidden 4,8 or --hidden 4 --hidden 8), each item checked by `item`: the values
// replace the defaults, which --help shows as [4,8].
template <typename T>
void add_list(CLI::App& app, const std::string& flag, std::vector<T>& values,
              const std::string& help, const std::string& type, const CLI::Validator& item) {
  std::string shown;
  for (const T& v : values) shown += (shown.empty() ? "" : ",") + (std::ostringstream() << v).str();
  const auto store = [&values](const std::vector<std::string>& texts) {
    values.clear();
    for (const std::string& text : texts)
      for (const std::string& piece : split_list(text)) {
        if constexpr (std::is_integral_v<T>)
          values.push_back(static_cast<T>(std::stoll(piece)));  // decimal, checked by `item`
        else
          values.push_back(static_cast<T>(std::strtod(piece.c_str(), nullptr)));
      }
  };
  app.add_option_function<std::vector<std::string>>(flag, store, help)
      ->transform(list_of(item))
      ->type_name(type)
      ->default_str("[" + shown + "]");
}

// A folder name (--out, --data-dir): an empty one would name none.
CLI::Validator non_empty() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        return text.empty() ? "the folder name is empty" : "";
      },
      "");
}

// ---- OpenBLAS's threads ----

// OpenBLAS starts its threads as it is loaded, before main. When one cannot start (the user's
// process limit, ulimit -u, is reached) it prints two lines and raises SIGINT, as if Ctrl-C had
// been pressed: the run ended with 130 and no word of the limit. So while the libraries start,
// stderr goes to a memory file, and a SIGINT this process sends itself ends the run with one
// line and exit 2; afterwards stderr comes back, with what was written to it meanwhile.
int real_stderr = -1;
int early_stderr = -1;
char threads_failed[256] = {};  // "<program>: OpenBLAS could not start its threads …"

void append(std::size_t& at, std::string_view text) {
  for (const char c : text)
    if (at + 1 < sizeof threads_failed) threads_failed[at++] = c;
}

void on_early_sigint(int signal, siginfo_t* info, void*) {
  if (info->si_code == SI_TKILL && info->si_pid == ::getpid()) {  // raise(), not a Ctrl-C
    std::size_t at = std::strlen(threads_failed);
    rlimit limit{};
    char digits[24];
    char* d = digits + sizeof digits;
    if (::getrlimit(RLIMIT_NPROC, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      append(at, " (the process limit, ulimit -u, is ");
      for (rlim_t n = limit.rlim_cur; d == digits + sizeof digits || n > 0; n /= 10)
        *--d = static_cast<char>('0' + n % 10);
      append(at, std::string_view(d, static_cast<std::size_t>(digits + sizeof digits - d)));
      append(at, ")");
    }
    append(at, "\n");
    [[maybe_unused]] const ssize_t ignored = ::write(real_stderr, threads_failed, at);
    ::_exit(kExitBadInput);
  }
  ::dup2(real_stderr, STDERR_FILENO);  // a Ctrl-C while the libraries start: as ever
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

void capture_stderr_while_libraries_start(const char* program) {
  std::size_t at = 0;
  const std::string_view path = program ? program : "";
  append(at, path.substr(path.find_last_of('/') + 1));
  append(at, ": OpenBLAS could not start its threads");
  real_stderr = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  early_stderr = ::memfd_create("stderr", MFD_CLOEXEC);
  if (real_stderr < 0 || early_stderr < 0 || ::dup2(early_stderr, STDERR_FILENO) < 0) {
    if (real_stderr >= 0) ::close(real_stderr);
    if (early_stderr >= 0) ::close(early_stderr);
    real_stderr = early_stderr = -1;
    return;
  }
  struct sigaction action {};
  action.sa_sigaction = on_early_sigint;
  action.sa_flags = SA_SIGINFO;
  ::sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
}

// The program's own initialisation runs after every library's: OpenBLAS's threads are running.
[[gnu::constructor]] void after_libraries_start() {
  if (real_stderr < 0) return;
  ::signal(SIGINT, SIG_DFL);
  ::dup2(real_stderr, STDERR_FILENO);
  ::close(real_stderr);
  char text[4096];
  for (off_t at = 0;;) {
    const ssize_t got = ::pread(early_stderr, text, sizeof text, at);
    if (got <= 0 || ::write(STDERR_FILENO, text, static_cast<std::size_t>(got)) != got) break;
    at += got;
  }
  ::close(early_stderr);
}

// OpenBLAS reads OPENBLAS_NUM_THREADS when it starts, before main: this runs earlier still.
void before_libraries_start(int, char** argv, char** envp) {
  fit_blas_threads_to_address_space(argv, envp);
  capture_stderr_while_libraries_start(argv[0]);
}
[[gnu::used,
  gnu::section(".preinit_array")]] void (*fit_blas_early)(int, char**,
                                                          char**) = before_libraries_start;

// ---- Signals: those that end a process (SIGINT, SIGTERM, SIGHUP, SIGPIPE, a limit's), crashes
// ----

// Every signal whose default ends the process without a core dump worth keeping; each ends a
// run like Ctrl-C. (SIGXFSZ is ignored instead: the write that passes `ulimit -f` then fails
// with EFBIG and names its file.)
constexpr int kEndingSignals[] = {SIGINT,  SIGTERM, SIGHUP,    SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2,
                                  SIGALRM, SIGXCPU, SIGVTALRM, SIGPROF, SIGIO,   SIGPWR};

// A program started with stdin, stdout or stderr closed gets /dev/null there, so that no file
// it opens later (the signal pipe) takes descriptor 0, 1 or 2 and is written to as the console.
void open_standard_streams() {
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF)
      ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);  // the lowest free descriptor: fd
}

// The handler only writes the signal's number into a pipe: a thread reads it and cleans up
// (nn::interrupted), since removing files and printing are not safe inside a handler.
int signal_pipe[2] = {-1, -1};

void* wait_for_signal(void*) {
  unsigned char signal = 0;
  while (::read(signal_pipe[0], &signal, 1) != 1) {
    if (errno != EINTR) return nullptr;
  }
  interrupted(signal);
}

void on_signal(int signal) {
  pending_signal = signal;
  const auto byte = static_cast<unsigned char>(signal);
  [[maybe_unused]] const ssize_t ignored = ::write(signal_pipe[1], &byte, 1);
}

// SIGSEGV or SIGBUS, on a stack of its own (the thread's may be the one that overflowed):
// removes the staging folder with system calls only, then the signal ends the process.
void on_crash(int signal) {
  crashed(signal);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

void watch_crashes() {
  static char stack[64 << 10];
  const stack_t alternate{stack, 0, sizeof stack};
  ::sigaltstack(&alternate, nullptr);
  struct sigaction action {};
  action.sa_handler = on_crash;
  action.sa_flags = SA_ONSTACK | SA_RESETHAND;
  ::sigemptyset(&action.sa_mask);
  for (const int signal : {SIGSEGV, SIGBUS}) ::sigaction(signal, &action, nullptr);
}

void watch_signals() {
  static pid_t watching = 0;  // a forked child (the tests) needs its own pipe and thread
  if (watching == ::getpid()) return;
  open_standard_streams();
  for (int& fd : signal_pipe)
    if (fd >= 0) ::close(fd);
  if (::pipe2(signal_pipe, O_CLOEXEC) != 0) return;
  // A small stack: under a tight `ulimit -v` the default 8 MiB may not fit.
  pthread_attr_t small;
  ::pthread_attr_init(&small);
  ::pthread_attr_setstacksize(&small, std::size_t{256} << 10);
  ::pthread_attr_setdetachstate(&small, PTHREAD_CREATE_DETACHED);
  pthread_t thread{};
  const int failed = ::pthread_create(&thread, &small, wait_for_signal, nullptr);
  ::pthread_attr_destroy(&small);
  if (failed != 0)
    throw std::system_error(failed, std::generic_category(),
                            "cannot start the thread that watches for Ctrl-C");
  ::signal(SIGXFSZ, SIG_IGN);
  watch_crashes();
  for (const int signal : kEndingSignals) {
    struct sigaction old {};
    ::sigaction(signal, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;  // started with it ignored (nohup, `&`): keep so
    struct sigaction action {};
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESTART;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
  }
  watching = ::getpid();
}

// The system's limits a run cannot work under, checked before it starts: a stack under
// `ulimit -s 1024` overflows in OpenBLAS or a chapter's recursion (SIGSEGV), and a few open
// files are not enough for the staging folder, its locks, a data file and gnuplot. "" when
// they fit, the reason otherwise.
std::string limits_problem() {
  constexpr rlim_t kMinStackKiB = 1024, kMinFiles = 32;
  rlimit stack{}, files{};
  ::getrlimit(RLIMIT_STACK, &stack);
  ::getrlimit(RLIMIT_NOFILE, &files);
  if (stack.rlim_cur != RLIM_INFINITY && stack.rlim_cur < kMinStackKiB << 10)
    return fmt::format(
        "the stack limit (ulimit -s) is {} KiB, too small: a run needs at least {} KiB",
        stack.rlim_cur >> 10, kMinStackKiB);
  if (files.rlim_cur < kMinFiles)
    return fmt::format("the open-files limit (ulimit -n) is {}, too small: a run needs at least {}",
                       files.rlim_cur, kMinFiles);
  return "";
}

// Removes the staging folder however run() ends, unless it was published.
struct StagingGuard {
  StagingGuard() = default;
  StagingGuard(const StagingGuard&) = delete;
  StagingGuard& operator=(const StagingGuard&) = delete;
  ~StagingGuard() { end_run(); }
};

}  // namespace

ChapterCli::ChapterCli(std::string name, std::string title, std::string book_section,
                       std::uint32_t default_seed)
    : app_(title, name), name_(std::move(name)) {
  common_.data_dir = std::filesystem::path(NN_SOURCE_DIR) / "datasets";
  common_.out_dir = std::filesystem::path("output") / name_;
  common_.seed = default_seed;
  app_.footer("\nThe lesson: book.md, section \"" + book_section + "\".");
  app_.get_formatter()->column_width(30);
  app_.add_option("--data-dir", common_.data_dir, "Folder holding mnist/ and catvnoncat/")
      ->capture_default_str()
      ->check(non_empty());
  app_.add_option("--out", common_.out_dir,
                  "Folder for results.json and the figures (all appear when the run succeeds)")
      ->capture_default_str()
      ->check(non_empty());
  app_.add_option("--seed", common_.seed,
                  "Random seed; the same seed gives the same numbers (later seeds too must fit)")
      ->capture_default_str()
      ->transform(whole_number(0, kMaxSeed));
  app_.add_flag("--no-plots", no_plots_,
                "Write the figures' data and gnuplot scripts, but do not draw");
  app_.add_flag_callback(
      "--blas-kernels",
      [] {
        for (const std::string& kernel : runnable_blas_kernels(cpu_features()))
          std::cout << kernel << '\n';
        throw CLI::Success();
      },
      "Print the OPENBLAS_CORETYPE values this processor runs, one a line, and exit");
}

void ChapterCli::add_positive(const std::string& flag, double& value, const std::string& help,
                              double maximum, const std::string& why) {
  app_.add_option(flag, value, help)
      ->capture_default_str()
      ->check(finite_number(false, maximum, why));
}

void ChapterCli::add_positives(const std::string& flag, std::vector<double>& values,
                               const std::string& help) {
  add_list(app_, flag, values, help, "FLOAT", finite_number(false));
}

void ChapterCli::add_between(const std::string& flag, double& value, const std::string& help,
                             double minimum, double maximum) {
  app_.add_option(flag, value, help)
      ->capture_default_str()
      ->check(number_between(minimum, maximum));
}

void ChapterCli::add_nonnegative(const std::string& flag, double& value, const std::string& help) {
  app_.add_option(flag, value, help)->capture_default_str()->check(finite_number(true));
}

void ChapterCli::add_count(const std::string& flag, int& value, const std::string& help,
                           int minimum, int maximum) {
  app_.add_option(flag, value, help)
      ->capture_default_str()
      ->transform(whole_number(minimum, maximum));
}

void ChapterCli::add_counts(const std::string& flag, std::vector<int>& values,
                            const std::string& help, int minimum, int maximum) {
  add_list(app_, flag, values, help, "INT", whole_number(minimum, maximum));
}

void ChapterCli::add_seed_count(const std::string& flag, int& value, const std::string& help,
                                int maximum) {
  add_count(flag, value, help, 1, maximum);
  seed_counts_.emplace_back(flag, &value);
}

void ChapterCli::add_switch(const std::string& flag, bool& value, const std::string& help) {
  app_.add_flag(flag, value, help);
}

void ChapterCli::add_existing_file(const std::string& flag, std::filesystem::path& value,
                                   const std::string& help, const std::string& saved_as) {
  app_.add_option(flag, value, help)->check(CLI::ExistingFile);
  inputs_.push_back({flag, &value, saved_as});
}

void ChapterCli::blame(const std::vector<std::pair<Cause, std::string>>& flags) {
  for (const auto& [cause, flag] : flags) blamed_[cause] = flag;
}

std::string ChapterCli::seed_problem() const {
  long long count = fixed_seeds_;
  std::string why;
  for (const auto& [flag, value] : seed_counts_) {
    if (*value > count) why = " with " + flag + " " + std::to_string(*value);
    count = std::max<long long>(count, *value);
  }
  const long long last = common_.seed + count - 1;
  if (last <= kMaxSeed) return "";
  return "--seed " + std::to_string(common_.seed) + why + " would use seeds up to " +
         std::to_string(last) + ", past the largest seed " + std::to_string(kMaxSeed) +
         " (use --seed " + std::to_string(kMaxSeed - count + 1) + " or less)";
}

int ChapterCli::run(int argc, char** argv, const std::function<void(const CommonOptions&)>& body) {
  if (const std::string refused = use_best_blas_kernel(argv); !refused.empty()) {
    std::cerr << name_ << ": " << refused << '\n';
    return kExitBadInput;
  }
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app_.help();
    return 0;
  } catch (const CLI::Success&) {
    return 0;  // --blas-kernels
  } catch (const CLI::ParseError& e) {
    std::cerr << name_ << ": " << e.what() << " (see --help)\n";
    return kExitBadInput;
  }
  std::vector<std::string> problems{seed_problem()};
  for (const auto& rule : rules_) problems.push_back(rule());
  for (const std::string& problem : problems)
    if (!problem.empty()) {
      std::cerr << name_ << ": " << problem << " (see --help)\n";
      return kExitBadInput;
    }
  for (const std::string& problem : {limits_problem(), no_plots_ ? "" : plot_seconds_problem()})
    if (!problem.empty()) {
      std::cerr << name_ << ": " << problem << '\n';
      return kExitBadInput;
    }
  CommonOptions common = common_;
  common.plots = !no_plots_;
  common.final_out_dir = common_.out_dir;
  // One line and the exit code; a fault that came of a signal (a write to a closed pipe) is
  // reported as the interruption it was.
  const auto fail = [this](int code, const std::string& problem) {
    if (pending_signal != 0) interrupted(pending_signal);
    std::cerr << name_ << ": " << problem << '\n';
    return code;
  };
  try {
    watch_signals();
    const StagingGuard guard;
    common.out_dir = begin_run(name_, common_.out_dir);
    for (const auto& [flag, input, saved_as] : inputs_)
      if (!input->empty() && !saved_as.empty()) keep_saved_file(flag, *input, saved_as);
    reserve_blas_buffer();
    body(common);
    std::vector<std::filesystem::path> inputs;
    for (const auto& [flag, input, saved_as] : inputs_) inputs.push_back(*input);
    publish_run(inputs);
    return 0;
  } catch (const DivergedError& e) {
    const auto flag = e.cause ? blamed_.find(*e.cause) : blamed_.end();
    return fail(kExitDiverged,
                e.what() + (flag == blamed_.end() ? std::string()
                                                  : " (try a smaller " + flag->second + ")"));
  } catch (const UsageError& e) {
    return fail(kExitBadInput, e.what() + std::string(" (see --help)"));
  } catch (const std::bad_alloc&) {
    return fail(kExitBadInput, "not enough memory for this run (try smaller sizes)");
  } catch (const std::exception& e) {
    // DataError, OutputError, MemoryError, filesystem errors; and, last, anything else (a
    // thread that cannot start, a fault in a library): one line all the same, never an abort
    return fail(kExitBadInput, e.what());
  } catch (...) {
    return fail(kExitBadInput, "stopped by an unknown error");
  }
}

}  // namespace nn
