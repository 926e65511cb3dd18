// Deduces the last step, but then answers the last depth it pinged instead of the one
// left: right whenever the last ping heard "=", wrong when the answer was deduced.
#include <iostream>
#include <string>
using namespace std;

int main() {
    int shafts;
    cin >> shafts;
    while (shafts--) {
        long long n;
        cin >> n;
        long long lo = 1, hi = n, last = 1;
        while (lo < hi) {
            long long mid = (lo + hi) / 2;
            last = mid;
            cout << "? " << mid << endl;
            string reply;
            cin >> reply;
            if (reply == "=") break;
            if (reply == "<") hi = mid - 1; else lo = mid + 1;
        }
        cout << "! " << (lo < hi ? last : (n == 1 ? 1 : last)) << endl;
    }
}
