#!/usr/bin/env python3
"""Container healthcheck for the RegSafe API image: GET http://127.0.0.1:$REGSAFE_PORT<path>.

Usage: regsafe-healthcheck [/healthz|/readyz]   (exit 0 on HTTP 200, else 1)
Standard library only, so it needs neither curl nor the app's imports.
"""

import os
import sys
import urllib.request


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "/healthz"
    url = f"http://127.0.0.1:{os.environ.get('REGSAFE_PORT', '8000')}{path}"
    try:
        with urllib.request.urlopen(url, timeout=4) as resp:
            return 0 if resp.status == 200 else 1
    except Exception as exc:
        print(f"healthcheck {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
