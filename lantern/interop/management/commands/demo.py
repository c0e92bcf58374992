"""``lantern demo``: load the synthetic demo area (run it twice: same data)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lantern.interop.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_BASE32, demo_area_load


class Command(BaseCommand):
    help = "Load the synthetic demo area and its sign-ins. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        result, sign_ins = demo_area_load()
        self.stdout.write(
            "Demo area loaded." if result.changed else "Demo area already loaded: nothing changed."
        )
        self.stdout.write("\nDemo sign-ins (every person in the demo area is made up):")
        for sign_in in sign_ins:
            self.stdout.write(f"  {sign_in.username:<14} {sign_in.name:<16} {sign_in.described}")
        self.stdout.write(f"\nPassword for every demo sign-in: {DEMO_PASSWORD}")
        self.stdout.write(
            "Managers, senior managers and administrators also enter a code from an authenticator app:\n"
            f"add the demo key {DEMO_TOTP_KEY_BASE32} (time-based, 6 digits, 30 seconds) to one, or run\n"
            f"  oathtool --totp --base32 {DEMO_TOTP_KEY_BASE32}"
        )
