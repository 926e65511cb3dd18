import os

os.close(1)
print(3)
