// Files a chapter writes: whole or not at all.
#pragma once
#include <filesystem>
#include <string>

namespace nn {

// Writes `text` to `file.tmp`, then renames it over `file`: an interrupted run never leaves a
// truncated file behind. Throws std::runtime_error naming the file when it cannot write.
void write_file_atomic(const std::filesystem::path& file, const std::string& text);

}  // namespace nn
