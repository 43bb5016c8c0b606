package dev.hoist.store;

import java.util.List;

/**
 * What {@link Store#fsck} found: one line per problem, each naming the blob or name concerned, and
 * counts for a summary.
 *
 * @param problems empty when the store is sound
 * @param blobs blobs checked
 * @param bytes bytes hashed
 * @param entries index.json entries checked
 * @param unreferenced blobs that nothing names (not a problem: prune removes them)
 */
public record FsckReport(
    List<String> problems, int blobs, long bytes, int entries, int unreferenced) {
  public FsckReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
