#include "plot.hpp"

#include "commands.hpp"
#include "output.hpp"
#include "sqsim/sq/distributed.hpp"
#include "sqsim/sq/errors.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace sqsim::cli {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A gnuplot single-quoted string: nothing inside is interpreted (no backquote substitution, no
// macros) but '' for a quote, and control characters (a newline would end the command) become
// \xNN escapes here, whatever the caller checked: a title may hold a user's path or name.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : sq::printable(s)) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string check_plot_target(const std::string& path) {
  if (!ends_with(path, ".png") && !ends_with(path, ".svg") && !ends_with(path, ".pdf"))
    throw UsageError("plot = " + sq::printable(path) + ": the file name must end in .png, .svg or .pdf");
  std::string target = path;
  sq::on_output_process([&] {  // under mpirun rank 0 draws: its file system and its gnuplot count
    target = validated_output_path(path, "plot");
    if (std::system("command -v gnuplot > /dev/null 2>&1") != 0)
      throw UsageError("plot = " + sq::printable(path) +
                       ": gnuplot is not installed (apt-get install gnuplot-nox, or run scripts/install-deps)");
    reserve_output_target(target, "plot");
  });
  return target;
}

void write_plot(const std::string& path, const std::string& title, const std::vector<Panel>& panels) {
  if (!sq::output_process()) return;
  const std::string partial = path + ".partial";
  std::ostringstream script;
  const int width = 620 * static_cast<int>(panels.size());
  if (ends_with(path, ".pdf"))
    script << "set terminal pdfcairo size " << 6.2 * static_cast<double>(panels.size()) << "in,5.2in font 'Sans,9'\n";
  else
    script << (ends_with(path, ".png") ? "set terminal pngcairo size " : "set terminal svg size ") << width << ",540 font 'Sans,10'\n";
  script << "set output " << quoted(partial) << "\n"
         << "set multiplot layout 1," << panels.size() << " title " << quoted(title) << "\n"
         << "set grid\nset key below font ',9'\n"  // the legend below the axes, off the data
         << "set autoscale xfix\n";                // the x axis spans the data, not the next decade
  for (const Panel& panel : panels) {
    script << "set title " << quoted(panel.title) << "\nset xlabel " << quoted(panel.xlabel) << "\nset ylabel " << quoted(panel.ylabel)
           << "\n"
           << (panel.logx ? "set logscale x\n" : "unset logscale x\n") << (panel.logy ? "set logscale y\n" : "unset logscale y\n")
           << "plot ";
    for (std::size_t i = 0; i < panel.series.size(); ++i)
      script << (i ? ", " : "")
             << (panel.series[i].reference        ? "'-' using 1:2 with lines dt 2 lw 2"
                 : panel.series[i].errors.empty() ? "'-' using 1:2 with linespoints"
                                                  : "'-' using 1:2:3:4 with yerrorlines")
             << " title " << quoted(panel.series[i].title);
    script << "\n";
    for (const Series& series : panel.series) {
      for (std::size_t p = 0; p < series.points.size(); ++p) {
        script << series.points[p].first << " " << series.points[p].second;
        if (!series.errors.empty()) script << " " << series.errors[p].first << " " << series.errors[p].second;
        script << "\n";
      }
      script << "e\n";
    }
  }
  script << "unset multiplot\n";
  // gnuplot's messages go to a private temporary file (never to our stdout, which may carry JSON) and
  // into the error when it fails. The file name comes from mkstemp: no user text reaches the shell.
  char log_name[] = "/tmp/sqsim_gnuplot_XXXXXX";
  const int log_fd = ::mkstemp(log_name);
  if (log_fd < 0) throw std::runtime_error("could not create a temporary file for gnuplot's messages");
  ::close(log_fd);
  FILE* gnuplot = ::popen(("gnuplot 2> " + std::string(log_name)).c_str(), "w");
  if (!gnuplot) {
    std::filesystem::remove(log_name);
    throw std::runtime_error("could not start gnuplot");
  }
  const std::string text = script.str();
  std::fwrite(text.data(), 1, text.size(), gnuplot);
  const bool drawn = ::pclose(gnuplot) == 0 && std::filesystem::exists(partial);
  std::string messages;
  {
    std::ifstream log(log_name);
    for (std::string line; std::getline(log, line);)
      if (line.find("rror") != std::string::npos || line.find("invalid") != std::string::npos) messages += " " + line;
  }
  std::filesystem::remove(log_name);
  if (!drawn) {
    std::filesystem::remove(partial);
    throw std::runtime_error("gnuplot failed to draw " + sq::printable(path) + (messages.empty() ? "" : ":" + sq::printable(messages)));
  }
  std::filesystem::rename(partial, path);
}

}  // namespace sqsim::cli