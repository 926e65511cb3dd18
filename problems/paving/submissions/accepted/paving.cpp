#include <cstdio>

int main() {
    long long w, h, a;
    if (scanf("%lld %lld %lld", &w, &h, &a) != 3) return 0;
    long long cols = (w + a - 1) / a;
    long long rows = (h + a - 1) / a;
    printf("%lld\n", cols * rows);
    return 0;
}
