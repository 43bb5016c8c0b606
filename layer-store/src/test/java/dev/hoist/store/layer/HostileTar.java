package dev.hoist.store.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tars entry by entry with commons-compress, so tests can say exactly what is in them. */
final class HostileTar {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

  HostileTar() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  HostileTar dir(String name) throws IOException {
    return put(entry(name, TarConstants.LF_DIR), new byte[0]);
  }

  HostileTar file(String name, String content) throws IOException {
    return put(entry(name, TarConstants.LF_NORMAL), content.getBytes(StandardCharsets.UTF_8));
  }

  HostileTar symlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    return put(e, new byte[0]);
  }

  HostileTar hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    return put(e, new byte[0]);
  }

  HostileTar withPaxHeader(String name, String key, String value) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.addPaxHeader(key, value);
    return put(e, new byte[0]);
  }

  byte[] bytes() throws IOException {
    tar.finish();
    tar.close();
    return bytes.toByteArray();
  }

  private HostileTar put(TarArchiveEntry e, byte[] content) throws IOException {
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
    return this;
  }

  private static TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true); // true: keep a leading "/"
    e.setMode(type == TarConstants.LF_DIR ? 0755 : 0644);
    e.setUserName("");
    e.setGroupName("");
    return e;
  }
}
