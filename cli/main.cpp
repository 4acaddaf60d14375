// sqsim: run SQ algorithms against simulated oracles and count what they ask.
#include "sqsim_cli.hpp"

int main(int argc, char** argv) { return cli::run_program(argc, argv); }
