# shellcheck shell=bash
# Shared by the benchmark scripts: source it, do not run it.

# need COMMAND PACKAGE: installs the Debian PACKAGE with apt-get when COMMAND is
# missing (as root, the way CI runs), or stops with a message saying what is missing.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2 for $1…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null) \
    || { echo "error: $1 is missing (Debian package $2)" >&2; exit 2; }
}
