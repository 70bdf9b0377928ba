// Numbers in console lines and messages. A cost of 1.6e300 printed with {:.6f} is 301 digits
// and six zeros; every line that prints a number without a bound (a cost, a loss, a norm, a
// flag's value) goes through here, so that such a number reads 1.5912e+300 and every number of
// a normal size keeps the digits the chapters have always printed.
#pragma once
#include <string>

namespace nn {

// `x` with `decimals` digits after the point (as {:.Nf}) when its integer part has at most nine
// digits; otherwise, and for inf and NaN, in short scientific form ({:.5g}: 1.5912e+300).
std::string fixed(double x, int decimals);

}  // namespace nn
