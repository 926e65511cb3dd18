#include <pthread.h>
static void *spin(void *unused) { volatile unsigned long long x = 0; for (;;) x++; return unused; }
int main(void) {
    pthread_attr_t small; pthread_attr_init(&small); pthread_attr_setstacksize(&small, 1 << 20);
    pthread_t threads[8];
    for (int i = 0; i < 8; i++) pthread_create(&threads[i], &small, spin, 0);
    spin(0);
}
