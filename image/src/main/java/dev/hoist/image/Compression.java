package dev.hoist.image;

/** How a layer tar is compressed. */
public enum Compression {
  NONE,
  GZIP,
  ZSTD
}
