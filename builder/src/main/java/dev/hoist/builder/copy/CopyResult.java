package dev.hoist.builder.copy;

/**
 * What a COPY or ADD staged.
 *
 * @param files entries written (files, links, directories; extracted archive entries count too)
 * @param bytes bytes of file content written
 */
public record CopyResult(long files, long bytes) {}
