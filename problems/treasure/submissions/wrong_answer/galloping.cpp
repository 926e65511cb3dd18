// Exponential search from the top of the shaft: fine for shallow treasures, but about
// 2 log2(x) pings for deep ones (query limit exceeded).
#include <iostream>
#include <string>
using namespace std;

string ping(long long y) {
    cout << "? " << y << endl;
    string reply;
    cin >> reply;
    return reply;
}

int main() {
    int shafts;
    cin >> shafts;
    while (shafts--) {
        long long n;
        cin >> n;
        long long lo = 1, hi = n, step = 1;
        long long found = -1;
        while (true) {
            long long y = min(n, step);
            string reply = ping(y);
            if (reply == "=") { found = y; break; }
            if (reply == "<") { hi = y - 1; break; }
            lo = y + 1;
            if (y == n) break;
            step *= 2;
        }
        while (found < 0 && lo < hi) {
            long long mid = (lo + hi) / 2;
            string reply = ping(mid);
            if (reply == "=") { found = mid; break; }
            if (reply == "<") hi = mid - 1; else lo = mid + 1;
        }
        if (found < 0) found = lo;
        cout << "! " << found << endl;
    }
}
