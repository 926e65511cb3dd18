// Mistake: uses floating point ceil() and prints a double with cout, which
// switches to scientific notation (e.g. 1e+18) for large answers.
#include <cmath>
#include <iostream>

int main() {
    double w, h, a;
    std::cin >> w >> h >> a;
    std::cout << std::ceil(w / a) * std::ceil(h / a) << std::endl;
    return 0;
}
