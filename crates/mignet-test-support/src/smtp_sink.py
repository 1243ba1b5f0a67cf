# A real SMTP server for the tests (aiosmtpd): each message it accepts is written to the folder given as
# the first argument, as JSON with its envelope's recipients and its text. It listens on the port given
# as the second argument, or on a free one, and prints the port once it listens.
import asyncio
import json
import os
import pathlib
import sys

from aiosmtpd.smtp import SMTP

out = pathlib.Path(sys.argv[1])
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0


class Sink:
    def __init__(self):
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        name = f"{os.getpid()}-{self.n:06d}"
        record = {"to": envelope.rcpt_tos, "message": envelope.content.decode("utf-8", "replace")}
        tmp = out / (name + ".tmp")
        tmp.write_text(json.dumps(record))
        os.rename(tmp, out / (name + ".json"))
        return "250 OK"


async def main():
    loop = asyncio.get_running_loop()
    handler = Sink()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost"), "127.0.0.1", port, reuse_address=True
    )
    print(f"smtp sink listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


asyncio.run(main())
