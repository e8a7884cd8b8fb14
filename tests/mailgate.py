#!/usr/bin/env python3
"""mailgate.py — a real SMTP server (aiosmtpd) on 127.0.0.1 that pipes each
message it gets into a command, as Postfix's pipe transport does, for the
tests and the demo of pcase-mail.

Usage: mailgate.py PORT SECONDS COMMAND [ARG...]

- Listens on 127.0.0.1:PORT (0: a free port); prints "listening PORT" once
  it does, and flushes it.
- For each message, runs COMMAND ARG... --recipient RCPT with the message
  on standard input (once per recipient), and answers the client as a mail
  server answers for a pipe: exit 0 → 250, 75 → 451 (try again later),
  anything else → 550 (bounced), with the command's last line of standard
  error in the reply.
- Stops by itself after SECONDS.
"""
import asyncio
import subprocess
import sys
import threading

from aiosmtpd.controller import Controller


class Pipe:
    def __init__(self, command):
        self.command = command

    async def handle_DATA(self, server, session, envelope):
        worst = 0
        said = ""
        for rcpt in envelope.rcpt_tos:
            run = await asyncio.get_running_loop().run_in_executor(
                None, lambda: subprocess.run(self.command + ["--recipient", rcpt],
                                             input=envelope.original_content,
                                             capture_output=True, timeout=60))
            lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
            if run.returncode != 0 and (worst == 0 or run.returncode == 75):
                worst, said = run.returncode, lines[-1] if lines else ""
        if worst == 0:
            return "250 OK"
        said = said.replace("\r", " ").replace("\n", " ")[:200]
        return ("451 4.3.0 " if worst == 75 else "550 5.6.0 ") + said


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: mailgate.py PORT SECONDS COMMAND [ARG...]")
    port, seconds, command = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Pipe(command), hostname="127.0.0.1", port=port,
                            data_size_limit=64 * 1024 * 1024)
    controller.start()
    print("listening", port, flush=True)
    done = threading.Event()
    done.wait(seconds)
    controller.stop()


if __name__ == "__main__":
    main()
