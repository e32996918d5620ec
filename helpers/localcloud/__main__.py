"""python -m helpers.localcloud serve|start|status|stop|reset"""
from __future__ import annotations

import argparse
import sys

from .. import settings
from ..errors import CourseError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.localcloud",
                                     description="The course's offline AWS: moto's control plane plus "
                                                 "Lambda and API Gateway data planes.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run in the foreground")
    start = commands.add_parser("start", help="run in the background (or report the running one)")
    for sub in (serve, start):
        sub.add_argument("--port", type=int, default=None, help="default: COURSE_LOCAL_PORT or %d" % settings.DEFAULT_PORT)
        sub.add_argument("--host", default=None, help="default: 127.0.0.1")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a non-loopback --host (anyone who reaches it can use it)")
    commands.add_parser("status", help="is the background instance running?")
    commands.add_parser("stop", help="stop the background instance")
    commands.add_parser("reset", help="wipe every resource in the running instance")
    commands.add_parser("settings", help="print the table of COURSE_* settings (as in the README)")
    args = parser.parse_args(argv)

    try:
        if args.command == "serve":
            from .server import serve as run

            port = settings.get("COURSE_LOCAL_PORT") if args.port is None else args.port
            return run(args.host or settings.get("COURSE_LOCAL_HOST"), port, args.allow_remote)
        if args.command == "settings":
            from . import extensions

            extensions.load_extension_classes()  # extensions register their settings on import
            print(settings.markdown_table())
            return 0
        from . import control

        if args.command == "start":
            instance = control.start(port=args.port, host=args.host, quiet=True)
            print(f"Local cloud running at {instance.url} (pid {instance.pid}, log {instance.log})")
        elif args.command == "status":
            instance = control.find_running()
            if not instance:
                print("Local cloud: not running")
                return 3
            print(f"Local cloud running at {instance.url} (pid {instance.pid}, log {instance.log})")
        elif args.command == "stop":
            print("Local cloud stopped" if control.stop() else "Local cloud was not running")
        elif args.command == "reset":
            instance = control.reset()
            print(f"Local cloud at {instance.url} reset: every resource is gone, the local identity is back")
        return 0
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
