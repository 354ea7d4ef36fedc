#include <iostream>

#include <fluxion/fluxion.hpp>

namespace fx = fluxion;

int main() {
  const fx::Array x = fx::linspace(0, 1, 3);
  const double total = fx::sum(x * 2.0).item<double>();
  std::cout << "consumer: " << x << " sum(2x) = " << total << "\n";
  return total == 3.0 ? 0 : 1;
}
