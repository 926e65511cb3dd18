#include <stdio.h>
long long down(long long n) { volatile char pad[256]; pad[0] = (char)n; return down(n + 1) + pad[0]; }
int main(void) { printf("%lld\n", down(0)); return 0; }
