// Plots through gnuplot (Debian's gnuplot-nox): the figure of `sqsim demo gd-failure`.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sqsim::cli {

struct Series {
  std::string title;
  std::vector<std::pair<double, double>> points;
  std::vector<std::pair<double, double>> errors;  // optional (low, high) per point: drawn as error bars
  bool reference = false;                         // a reference curve (a bound, a slope): drawn dashed, no points
};

struct Panel {
  std::string title, xlabel, ylabel;
  bool logx = false, logy = false;
  std::vector<Series> series;
};

// Validates the plot's path before any work (as validated_output_path, and it must end in .png,
// .svg or .pdf), reserves it, and checks that gnuplot is installed; returns the file to write. UsageError otherwise.
std::string check_plot_target(const std::string& path);
// Draws the panels side by side into target, the result of check_plot_target (written whole or not at all).
void write_plot(const std::string& target, const std::string& title, const std::vector<Panel>& panels);

}  // namespace sqsim::cli