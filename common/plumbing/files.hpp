// Files a chapter reads and writes: only regular files are read; every file is written whole or
// not at all; an interrupted run leaves nothing behind.
#pragma once
#include <sys/types.h>

#include <csignal>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace nn {

// Writes `text` to `file.tmp`, then renames it over `file`: an interrupted run never leaves a
// truncated file behind. Throws OutputError naming the file and the system's reason ("No space
// left on device") when it cannot write; the temporary file is then removed.
void write_file_atomic(const std::filesystem::path& file, const std::string& text);

// Opens `file` for reading, refusing anything but a regular file (a folder, a named pipe, a
// device such as /dev/zero) without blocking on it. Returns the descriptor; throws DataError
// naming the file otherwise.
int open_regular_file(const std::filesystem::path& file);
// The same check for readers that open the file themselves (HDF5).
void check_regular_file(const std::filesystem::path& file);

// ---- One run's outputs, for ChapterCli::run and the writers above ----

// Every writer holds this lock while it creates a file; an interruption takes it for good, so
// no file appears once the clean-up has begun.
std::mutex& output_mutex();

// A run's outputs appear in --out together or not at all, and two runs never mix there.
// begin_run makes `out` and a fresh staging folder inside it (.partial-<pid>-XXXXXX, which the
// run keeps locked while it lives; it first removes those of runs that were killed, undoing a
// publish that stopped half-way) and returns the staging folder: the run writes there.
// publish_run moves its files into `out`, replacing files of the same names, and removes what
// the previous run of `program` wrote there (listed in out/.<program>.outputs) that this run did
// not write, except `inputs` (a --load model). It holds an advisory lock (flock) on `out`, so
// that one run publishes at a time, and it is all or nothing: the files it replaces first move
// into the staging folder, and when any step fails they move back and `out` is as before (a
// folder where a file should go is refused before anything moves). Other files in `out` are
// never touched. end_run removes the staging folder if it is still there (a failed run). Each
// throws OutputError naming the file and the system's reason.
std::filesystem::path begin_run(const std::string& program, const std::filesystem::path& out);
void publish_run(const std::vector<std::filesystem::path>& inputs);
void end_run();
// Refuses (UsageError naming `flag`) to start a run that reads `input` when the previous run of
// this program saved a file `saved_as` in --out (model.bin) and `input` is another file:
// publishing would remove that file, which the learner may still want.
void keep_saved_file(const std::string& flag, const std::filesystem::path& input,
                     const std::string& saved_as);
// `path` as the learner will find it: inside --out rather than the staging folder.
std::filesystem::path shown(const std::filesystem::path& path);

// The child process the run waits for (gnuplot), killed when the run is interrupted; 0: none.
void set_child(pid_t pid);

// The signal the handler saw (0: none yet), set before the clean-up thread runs: a waiter whose
// child failed checks it, so that a child stopped by the same Ctrl-C is reported as the
// interruption it was, not as a failure of its own.
extern volatile std::sig_atomic_t pending_signal;

// SIGINT, SIGTERM, SIGHUP, SIGPIPE or another signal that ends a process (SIGUSR1, SIGXCPU, …):
// kills the child's process group, removes the staging folder, prints one line that says what
// --out holds (nothing of this run, or all of it when the signal came while it was published)
// and ends the process with 128 + signal. Called from the thread that watches for signals, and
// by a waiter whose child was killed by SIGINT or SIGTERM.
[[noreturn]] void interrupted(int signal);

// A crash (SIGSEGV or SIGBUS, a stack overflow under a small `ulimit -s`): removes the staging
// folder, unless the run was publishing (the next run undoes that), and prints one line, with
// system calls only; for a signal handler, which then lets the signal end the process.
void crashed(int signal) noexcept;

}  // namespace nn
