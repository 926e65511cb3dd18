#include <stdio.h>
int main(void) {
    const char *targets[] = {"../hostile-mark", "../../hostile-mark", "/tmp/../hostile-mark",
                             "/scratch/../hostile-mark", "/var/tmp/hostile-mark", 0};
    for (int i = 0; targets[i]; i++) { FILE *f = fopen(targets[i], "w"); if (f) { fputs("x", f); fclose(f); } }
    int a, b; scanf("%d %d", &a, &b); printf("%d\n", a + b); return 0;
}
