#include "command_line.hpp"

#include <boost/program_options.hpp>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace sqsim::cli {

bool parse_command_line(const std::vector<std::string>& args, po::options_description& options, const std::string& usage) {
  options.add_options()("help,h", "show this help");
  po::variables_map vm;
  const po::parsed_options parsed = po::command_line_parser(args).options(options).run();
  // program_options keeps words that are no option's value aside, silently: a stray word (a file name
  // without its --data, a value after a switch) would otherwise run a different job with exit 0.
  const std::vector<std::string> stray = po::collect_unrecognized(parsed.options, po::include_positional);
  if (!stray.empty())
    throw std::invalid_argument("unexpected argument '" + stray.front() + "': every setting is given as --name value (see --help)");
  po::store(parsed, vm);
  if (vm.count("help")) {
    std::cout << usage << "\n" << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

}  // namespace sqsim::cli