blocks = []
while True:
    blocks.append(bytearray(64 * 1024 * 1024))  # bytearray zero-fills: the pages are touched
