// Running gnuplot for fx::plot: found at run time, so Fluxion builds and
// works without it and only saving a figure needs it.
#pragma once

#include <filesystem>

namespace fluxion::plot::detail {

// Runs gnuplot on `script` in the script's directory and checks that it
// succeeded and wrote `image`; throws fx::Error with gnuplot's messages if not.
void run_gnuplot(const std::filesystem::path& script, const std::filesystem::path& image);

}  // namespace fluxion::plot::detail
