package dev.hoist.store.layer;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One tar header as hoist reads and writes it: the fields a layer needs, nothing about user or
 * group names. Xattr values are raw bytes because {@code security.capability} is binary.
 *
 * @param name the archive path, relative, directories ending in {@code /}
 * @param type the typeflag, one of the {@code TYPE_*} constants
 * @param mode permission bits including setuid, setgid and sticky
 * @param linkName the target of a symlink or hardlink, empty otherwise
 */
record TarEntry(
    String name,
    char type,
    int mode,
    long uid,
    long gid,
    long size,
    Instant mtime,
    String linkName,
    int devMajor,
    int devMinor,
    Map<String, byte[]> xattrs) {
  static final char TYPE_REGULAR = '0';
  static final char TYPE_HARDLINK = '1';
  static final char TYPE_SYMLINK = '2';
  static final char TYPE_CHAR = '3';
  static final char TYPE_BLOCK = '4';
  static final char TYPE_DIRECTORY = '5';
  static final char TYPE_FIFO = '6';

  TarEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mtime, "mtime");
    Objects.requireNonNull(linkName, "linkName");
    xattrs = java.util.Collections.unmodifiableMap(new TreeMap<>(xattrs));
  }

  /** Whether the entry carries file content (only regular files do). */
  boolean hasContent() {
    return type == TYPE_REGULAR;
  }
}
