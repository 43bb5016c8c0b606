package dev.hoist.builder.dockerfile;

import java.util.List;

/** The parse tree as JSON, for {@code hoist debug parse --format json}. */
public final class AstJson {
  private AstJson() {}

  public static String toJson(Dockerfile df) {
    StringBuilder out = new StringBuilder("{\"file\":").append(str(df.fileName()));
    Directives d = df.directives();
    out.append(",\"directives\":{\"escape\":").append(str(Character.toString(d.escapeToken())));
    d.syntax().ifPresent(s -> out.append(",\"syntax\":").append(str(s)));
    d.check().ifPresent(s -> out.append(",\"check\":").append(str(s)));
    out.append("},\"instructions\":[");
    for (int i = 0; i < df.nodes().size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      node(out, df.nodes().get(i));
    }
    out.append("],\"warnings\":");
    list(out, df.warnings());
    return out.append('}').toString();
  }

  private static void node(StringBuilder out, Node n) {
    out.append("{\"keyword\":").append(str(n.keyword()));
    out.append(",\"startLine\":").append(n.range().start());
    out.append(",\"endLine\":").append(n.range().end());
    out.append(",\"flags\":");
    list(out, n.flags());
    out.append(",\"args\":");
    list(out, n.args());
    out.append(",\"json\":").append(n.json());
    n.child()
        .ifPresent(
            c -> {
              out.append(",\"child\":");
              node(out, c);
            });
    if (!n.heredocs().isEmpty()) {
      out.append(",\"heredocs\":[");
      for (int i = 0; i < n.heredocs().size(); i++) {
        Heredoc h = n.heredocs().get(i);
        out.append(i > 0 ? "," : "")
            .append("{\"name\":")
            .append(str(h.name()))
            .append(",\"fileDescriptor\":")
            .append(h.fileDescriptor())
            .append(",\"expand\":")
            .append(h.expand())
            .append(",\"chomp\":")
            .append(h.chomp())
            .append(",\"content\":")
            .append(str(h.content()))
            .append('}');
      }
      out.append(']');
    }
    out.append(",\"original\":").append(str(n.original())).append('}');
  }

  private static void list(StringBuilder out, List<String> items) {
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      out.append(i > 0 ? "," : "").append(str(items.get(i)));
    }
    out.append(']');
  }

  /** A JSON string literal. */
  public static String str(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
