#include <stdio.h>
#include <unistd.h>
int main(void) {
    if (fork() == 0) { setsid(); if (fork() == 0) { sleep(120); return 0; } return 0; }
    puts("3"); return 0;
}
