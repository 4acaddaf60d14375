// Plots through gnuplot (Debian's gnuplot-nox): the figure of `sqsim demo gd-failure`.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cli {

struct Series {
  std::string title;
  std::vector<std::pair<double, double>> points;
};

struct Panel {
  std::string title, xlabel, ylabel;
  bool logx = false, logy = false;
  std::vector<Series> series;
};

// Throws UsageError if the path does not end in .png or .svg, or gnuplot is not installed.
void check_plot_target(const std::string& path);
// Draws the panels side by side into path (written whole or not at all).
void write_plot(const std::string& path, const std::string& title, const std::vector<Panel>& panels);

}  // namespace cli
