package dev.hoist.store.archive;

import java.util.Arrays;

/** The tar formats {@code hoist save} writes and {@code hoist load} reads. */
public enum ArchiveFormat {
  /** {@code docker save}'s format: manifest.json, repositories, config and layer tars. */
  DOCKER_ARCHIVE("docker-archive"),
  /** A tar of an OCI image layout. */
  OCI_ARCHIVE("oci-archive");

  private final String cliName;

  ArchiveFormat(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** Parses {@code docker-archive} or {@code oci-archive} (also {@code docker}, {@code oci}). */
  public static ArchiveFormat parse(String text) {
    for (ArchiveFormat f : values()) {
      if (f.cliName.equals(text) || f.cliName.equals(text + "-archive")) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown archive format '"
            + text
            + "'; use one of "
            + Arrays.stream(values()).map(ArchiveFormat::cliName).toList());
  }
}
