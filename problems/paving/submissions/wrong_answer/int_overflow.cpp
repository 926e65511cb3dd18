// Mistake: the product of the two tile counts is computed in 32-bit int.
#include <cstdio>

int main() {
    int w, h, a;
    if (scanf("%d %d %d", &w, &h, &a) != 3) return 0;
    int cols = (w + a - 1) / a;
    int rows = (h + a - 1) / a;
    long long total = cols * rows;  // overflows before the conversion
    printf("%lld\n", total);
    return 0;
}
