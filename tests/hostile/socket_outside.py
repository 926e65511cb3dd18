import socket

for address in (("1.1.1.1", 53), ("8.8.8.8", 443), ("10.0.0.1", 80)):
    try:
        socket.create_connection(address, timeout=1)
        print("connected")
    except OSError:
        pass
print(3)
