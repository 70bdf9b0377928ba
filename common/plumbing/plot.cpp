#include "common/plumbing/plot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/plumbing/files.hpp"

namespace nn {

namespace {

// The shortest time limit for one gnuplot run: a figure takes about a second to draw.
constexpr double kMinPlotSeconds = 1;

// NN_PLOT_SECONDS as a number, or NaN when it is not one (0 when unset).
double plot_seconds_set() {
  const char* text = std::getenv("NN_PLOT_SECONDS");
  if (text == nullptr) return 0;
  char* end = nullptr;
  const double seconds = std::strtod(text, &end);
  return end == text || *end != '\0' ? std::nan("") : seconds;
}

// How long one gnuplot run may take: NN_PLOT_SECONDS, or two minutes. ChapterCli::run has
// refused a value below kMinPlotSeconds.
double plot_seconds() {
  const double seconds = plot_seconds_set();
  return seconds >= kMinPlotSeconds ? seconds : 120.0;
}

// run_program's answer for a program that had not finished in time (it was killed).
constexpr int kTimedOut = -2;

// Runs `argv` (found on the PATH) in `dir` with its output in `log` and waits for it, at most
// plot_seconds(); returns its exit status, -1 when it cannot start or kTimedOut. It runs in a
// process group of its own, killed whole: a program it started dies with it. A child killed
// by SIGINT or SIGTERM was killed by the same Ctrl-C as we were: the run is interrupted (and
// never carries on without its figure). std::system would ignore SIGINT while it waits.
int run_program(std::vector<std::string> argv, const std::filesystem::path& dir,
                const std::filesystem::path& log) {
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // stdin /dev/null: outside the terminal's foreground group, a read would stop it (SIGTTIN)
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions,
                                       dir.c_str());  // after `log`, which may be relative
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t ignored_here;  // SIGXFSZ, which the run ignores; gnuplot gets the usual action
  sigemptyset(&ignored_here);
  sigaddset(&ignored_here, SIGXFSZ);
  posix_spawnattr_setsigdefault(&attributes, &ignored_here);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int spawned = 0;
  {
    const std::lock_guard lock(output_mutex());  // no child starts once interrupted
    spawned = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
    if (spawned == 0) set_child(pid);
  }
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(plot_seconds());
  int status = 0;
  for (pid_t done = 0; done != pid;) {
    done = ::waitpid(pid, &status, WNOHANG);
    if (done < 0 && errno != EINTR) break;
    if (done == 0 && std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);  // stuck (a hung X display, a script that waits for input)
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      set_child(0);
      return kTimedOut;
    }
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  set_child(0);
  if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM))
    interrupted(WTERMSIG(status));
  if (pending_signal != 0) interrupted(pending_signal);  // gnuplot caught our Ctrl-C and gave up
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool gave_up = false;  // a drawing ran out of time: no more are tried

// Whether figures are drawn: gnuplot answers on the PATH, and no drawing ran out of time.
// Without gnuplot the first figure says so once; later ones are skipped quietly.
bool gnuplot_works() {
  static const int probe = run_program({"gnuplot", "--version"}, ".", "/dev/null");
  static bool told = false;
  if (probe != 0 && !told)
    std::cerr << (probe == kTimedOut ? "gnuplot did not answer" : "gnuplot not found")
              << ": figures are written as data and scripts only\n";
  told = true;
  return probe == 0 && !gave_up;
}

}  // namespace

std::string plot_seconds_problem() {
  const double seconds = plot_seconds_set();
  if (std::getenv("NN_PLOT_SECONDS") == nullptr ||
      (seconds >= kMinPlotSeconds && std::isfinite(seconds)))
    return "";
  return "NN_PLOT_SECONDS=" + std::string(std::getenv("NN_PLOT_SECONDS")) +
         ": must be a number of seconds, at least 1 (the time one gnuplot run may take; a figure "
         "takes about a second)";
}

std::string class_palette() {
  return "set palette defined (0 '#e8a09a', 0.5 '#fbe9e7', 0.5 '#e3edf7', 1 '#9ec3e6')\n"
         "set cbrange [0:1]\n";
}

Figures::Figures(std::filesystem::path out_dir, bool draw) : dir_(std::move(out_dir)), draw_(draw) {
  std::filesystem::create_directories(dir_);
}

void Figures::csv(const std::string& file, const std::vector<std::string>& header,
                  const std::vector<arma::vec>& columns) const {
  std::ostringstream text;
  text.precision(17);
  for (std::size_t c = 0; c < header.size(); ++c) text << (c ? "," : "") << header[c];
  text << '\n';
  const arma::uword rows = columns.empty() ? 0 : columns.front().n_elem;
  for (const auto& column : columns)
    if (column.n_elem != rows) throw std::logic_error(file + ": columns of unequal length");
  for (arma::uword r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) text << (c ? "," : "") << columns[c](r);
    text << '\n';
  }
  write_file_atomic(dir_ / file, text.str());
}

void Figures::draw(const std::string& name, const std::string& script, int width,
                   int height) const {
  const std::string gp = name + ".gp";
  write_file_atomic(dir_ / gp, "# " + name + ": draw with  gnuplot -p " + gp +
                                   "  (or set a terminal and output first)\n"
                                   "set datafile separator ','\n" +
                                   script);
  if (!draw_ || !gnuplot_works()) return;
  // Both pictures in one gnuplot run, each to a temporary name renamed when complete.
  const std::string size = std::to_string(width) + "," + std::to_string(height);
  const std::string commands =
      "set terminal pngcairo size " + size + " font 'DejaVu Sans,10'; set output '" + name +
      ".png.tmp'; load '" + gp + "'; unset output; reset; set terminal svg size " + size +
      " font 'DejaVu Sans,10'; set output '" + name + ".svg.tmp'; load '" + gp + "'; unset output";
  const std::filesystem::path log = dir_ / (name + ".log");
  if (const int status = run_program({"gnuplot", "-e", commands}, dir_, log); status != 0) {
    for (const char* ext : {".png.tmp", ".svg.tmp"}) std::filesystem::remove(dir_ / (name + ext));
    if (status == kTimedOut) {
      gave_up = true;
      std::filesystem::remove(log);
      std::cerr << "warning: gnuplot did not finish " << shown(dir_ / gp).string() << " within "
                << plot_seconds() << " s (NN_PLOT_SECONDS): stopped; figures are written as "
                << "data and scripts only\n";
      return;
    }
    std::cerr << "warning: gnuplot could not draw " << shown(dir_ / gp).string() << " (see "
              << shown(log).string() << ")\n";
    return;
  }
  const std::lock_guard lock(output_mutex());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir_ / (name + ".png.tmp"), ec) ||
      !std::filesystem::is_regular_file(dir_ / (name + ".svg.tmp"), ec)) {
    // It ended well and drew nothing (a stand-in for gnuplot): a figure that failed all the same
    for (const char* ext : {".png.tmp", ".svg.tmp"})
      std::filesystem::remove(dir_ / (name + ext), ec);
    std::cerr << "warning: gnuplot drew no picture of " << shown(dir_ / gp).string()
              << " (it reported no error; see " << shown(log).string() << ")\n";
    return;
  }
  std::filesystem::remove(log);
  for (const char* ext : {".png", ".svg"})
    std::filesystem::rename(dir_ / (name + ext + ".tmp"), dir_ / (name + ext));
}

}  // namespace nn
