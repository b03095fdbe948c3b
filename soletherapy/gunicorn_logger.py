"""gunicorn's access log, without the secret parts of addresses: the private links in the
request line, the path and the referring page (the site's own pages refer with their full
address), and without query strings."""

from gunicorn.glogging import Logger

from soletherapy.log_filters import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "f", "{referer}i"):
            if name in atoms:
                atoms[name] = redact(atoms[name])
        atoms["q"] = "-"
        if "r" in atoms and "?" in atoms["r"]:
            method, rest = atoms["r"].split(" ", 1)
            path, _, protocol = rest.rpartition(" ")
            atoms["r"] = f"{method} {path.split('?', 1)[0]}?[query] {protocol}"
        return atoms
