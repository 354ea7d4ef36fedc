// fluxion-calc: calculus on formulas from the command line (fluxion-calc --help).
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

int main(int argc, char** argv) {
  return fluxion_calc::run_command_line(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
