#!/usr/bin/env bash
# Writes the tar archives that the add-* cases ADD, byte for byte the same on every run: the entries are listed
# in code (python3's tarfile, fixed names, modes, owners, mtime 0), then compressed with gzip -n, bzip2 and xz,
# whose outputs depend only on their input (and the tool's version: the archives are committed so that the
# cases never depend on it). Some entries cannot come from a real directory tree (a "d -> .." symlink followed
# by "d/etc/file", an entry replacing a path of another kind), which is why the archives are built from a list.
#   bench/compat/make-archives.sh          (rewrites the archives under bench/compat/cases/add-*)
set -euo pipefail
cases=$(cd "$(dirname "$0")" && pwd)/cases
work=$(mktemp -d)
trap 'rm -rf "${work:?}"' EXIT

python3 - "$work" <<'PY'
import io, sys, tarfile

out = sys.argv[1]

def entry(name, kind="file", data=b"", mode=None, uid=0, gid=0, link=""):
    info = tarfile.TarInfo(name)
    info.mtime = 0
    info.uid, info.gid = uid, gid
    info.uname = info.gname = ""
    if kind == "file":
        info.type, info.size = tarfile.REGTYPE, len(data)
        info.mode = 0o644 if mode is None else mode
    elif kind == "dir":
        info.type, info.mode = tarfile.DIRTYPE, 0o755 if mode is None else mode
    elif kind == "symlink":
        info.type, info.linkname, info.mode = tarfile.SYMTYPE, link, 0o777
    elif kind == "hardlink":
        info.type, info.linkname, info.mode = tarfile.LNKTYPE, link, 0o644 if mode is None else mode
    return info, data

def write(path, entries):
    with tarfile.open(f"{out}/{path}", "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)

# The same small tree in every compression: dirs, modes, an owner other than root.
basic = [
    entry("app/", "dir"),
    entry("app/hello.txt", data=b"hello from the archive\n"),
    entry("app/run.sh", data=b"#!/bin/sh\necho run\n", mode=0o755),
    entry("app/private", data=b"private\n", mode=0o600, uid=1000, gid=1000),
    entry("app/owned/", "dir", mode=0o750, uid=1000, gid=50),
    entry("app/owned/f", data=b"f\n", uid=1000, gid=50),
    entry("top.txt", data=b"top\n"),
]
write("basic.tar", basic)

write("links.tar", [
    entry("links/", "dir"),
    entry("links/target.txt", data=b"target\n"),
    entry("links/rel-symlink", "symlink", link="target.txt"),
    entry("links/abs-symlink", "symlink", link="/links/target.txt"),
    entry("links/dangling", "symlink", link="nowhere"),
    entry("links/hardlink", "hardlink", link="links/target.txt"),
    entry("links/dir-symlink", "symlink", link="."),
])

# A symlink that points up and out, then an entry through it: extraction must stay inside the root.
write("dotdot.tar", [
    entry("d", "symlink", link=".."),
    entry("d/etc/", "dir"),
    entry("d/etc/escaped.txt", data=b"through the d -> .. symlink\n"),
    entry("after.txt", data=b"after\n"),
])

# Entries that land on paths the image already has with another kind (see the add-tar-over-existing-kind case).
write("kinds.tar", [
    entry("kinds/", "dir"),
    entry("kinds/was-dir", data=b"now a file\n"),
    entry("kinds/was-file/", "dir"),
    entry("kinds/was-file/inside", data=b"inside\n"),
    entry("kinds/was-symlink/", "dir"),
    entry("kinds/was-symlink/inside", data=b"inside\n"),
    entry("kinds/was-file-now-link", "symlink", link="was-dir"),
])

# A name longer than ustar's 100 bytes (needs a pax header) and a duplicate entry: the later one wins.
long_dir = "a-rather-long-directory-name-that-keeps-going/" * 3
write("long.tar", [
    entry(long_dir, "dir"),
    entry(long_dir + "file-with-a-long-name-too.txt", data=b"long\n"),
    entry("dup.txt", data=b"first\n"),
    entry("dup.txt", data=b"second\n"),
])
PY

gzip -n -9 <"$work/basic.tar" >"$work/basic.tar.gz"
bzip2 -9 <"$work/basic.tar" >"$work/basic.tar.bz2"
xz -6 <"$work/basic.tar" >"$work/basic.tar.xz"
gzip -n -9 <"$work/links.tar" >"$work/links.tar.gz"

# Each case gets the archives it ADDs (names in the cases are what ADD sees; blob.bin is a gzip without a .gz name).
place() {
  local archive=$1 case_name=$2 name=${3:-$1}
  [[ -d $cases/$case_name ]] || { echo "no case $case_name" >&2; exit 1; }
  cp "$work/$archive" "$cases/$case_name/$name"
  chmod 644 "$cases/$case_name/$name"
}
place basic.tar add-tar-plain
place basic.tar.gz add-tar-gz
place basic.tar.bz2 add-tar-bz2
place basic.tar.xz add-tar-xz
place basic.tar.gz add-tar-detected-by-content blob.bin
place basic.tar add-tar-to-dest-without-slash
place basic.tar.gz add-tar-chown
place links.tar.gz add-tar-symlinks-hardlinks
place dotdot.tar add-tar-dotdot-symlink
place kinds.tar add-tar-over-existing-kind
place long.tar add-tar-long-names-and-duplicates
place basic.tar add-tar-from-stage-not-extracted
place basic.tar add-tar-wildcard a.tar
place kinds.tar add-tar-wildcard b.tar
place basic.tar add-tar-onto-existing-dir-merge
echo "archives written under $cases"
