"""The API process must be able to defer jobs without anything else imported first."""

import subprocess
import sys


def test_importing_the_web_app_binds_the_task_blueprints() -> None:
    code = (
        "import regsafe.web.app\n"
        "from regsafe.identity.tasks import verify_person\n"
        "verify_person.configure()  # raises UnboundTaskError when unbound\n"
        "print('bound')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "bound"
