#include <iostream>
#include <string>
using namespace std;

int main() {
    int shafts;
    cin >> shafts;
    while (shafts--) {
        long long n;
        cin >> n;
        long long lo = 1, hi = n;
        while (lo < hi) {
            long long mid = (lo + hi) / 2;
            cout << "? " << mid << endl;
            string reply;
            cin >> reply;
            if (reply == "=") {
                lo = hi = mid;
            } else if (reply == "<") {
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        cout << "! " << lo << endl;
    }
}
