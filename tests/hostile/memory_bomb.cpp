#include <vector>
#include <cstdio>
int main() {
    std::vector<std::vector<char>> blocks;
    for (;;) blocks.emplace_back(64 << 20, 1);
}
