"""`runserver` that names the development administrator last, just before the server line,
where a newcomer running `make run` looks (the lines above are the demo's and the engine's)."""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver

from .ensure_dev_admin import credentials


class Command(StaticRunserver):
    def on_bind(self, server_port):
        if settings.DEBUG and (login := credentials()):
            address = f"[{self.addr}]" if self._raw_ipv6 else self.addr
            address = "0.0.0.0" if address == "0" else address  # noqa: S104 (as Django prints it)
            username, password = login
            self.stdout.write(
                self.style.SUCCESS(
                    f"Development admin: {self.protocol}://{address}:{server_port}/admin/  "
                    f"user: {username}  password: {password}"
                )
            )
        super().on_bind(server_port)
