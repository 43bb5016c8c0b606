package dev.hoist.registry;

import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads a small response body (a manifest, a token) into memory, never more than a limit: a
 * registry that announces or streams more is refused after {@code limit + 1} bytes, so an endless
 * or huge body costs neither memory nor a hang.
 */
final class LimitedBody {
  private LimitedBody() {}

  /**
   * The whole body of {@code r}, at most {@code limit} bytes.
   *
   * @param what the body's name in a message ("manifest")
   * @throws IOException naming {@code action} when the body is larger, or when the connection
   *     breaks before the body is complete (a Content-Length longer than the body)
   */
  static byte[] read(Response r, long limit, String action, String what) throws IOException {
    ResponseBody body = r.body();
    if (body == null) {
      return new byte[0];
    }
    if (body.contentLength() > limit) {
      Transport.abort(r);
      throw new IOException(
          action
              + ": the registry announces a "
              + what
              + " of "
              + body.contentLength()
              + " bytes, more than the "
              + human(limit)
              + " hoist accepts (as Docker's registry and containers/image); not read,"
              + " nothing was stored");
    }
    Buffer buf = new Buffer();
    try {
      BufferedSource source = body.source();
      while (buf.size() <= limit) {
        if (source.read(buf, Math.min(64 * 1024, limit + 1 - buf.size())) < 0) {
          return buf.readByteArray();
        }
      }
    } catch (IOException broken) {
      throw RegistryErrors.fromIo(action, r.request().method(), r.request().url(), broken);
    }
    Transport.abort(r);
    throw new IOException(
        action
            + ": the registry sent a "
            + what
            + " larger than the "
            + human(limit)
            + " hoist accepts; stopped reading, nothing was stored");
  }

  private static String human(long limit) {
    return limit % (1024 * 1024) == 0 ? limit / (1024 * 1024) + " MiB" : limit + " bytes";
  }
}
