// Parsing a subcommand's options: --help prints the usage text and the options.
#pragma once

#include <boost/program_options/options_description.hpp>

#include <string>
#include <vector>

namespace sqsim::cli {

// Returns false when --help was asked for (and printed); throws on unknown or malformed options.
bool parse_command_line(const std::vector<std::string>& args, boost::program_options::options_description& options,
                        const std::string& usage);

}  // namespace sqsim::cli