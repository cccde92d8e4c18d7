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

# fresh_dir DIR: DIR, empty. Deleting thousands of files (a previous run) makes ext4
# slow to create files for the next minute or so: it avoids reusing recently freed
# inodes and scans past them (kernel time in find_inode_bit / recently_deleted), which
# doubled the wall time of a 2,000-file run here. So after deleting anything, flush
# and wait SETTLE seconds (default 65; SETTLE=0 skips) before measuring.
fresh_dir() {
  if [ -e "$1" ]; then
    rm -rf "$1"
    sync
    local settle=${SETTLE:-65}
    if [ "$settle" -gt 0 ]; then
      echo "waiting ${settle} s for the file system to settle after deleting $1 (SETTLE=0 skips)…" >&2
      sleep "$settle"
    fi
  fi
  mkdir -p "$1"
}
