package io.portcullis.audit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON written one way only, so that the same value always gives the same bytes and a hash over it
 * can be recomputed by anyone: no whitespace, object keys sorted (by UTF-16 code unit, as {@link
 * String#compareTo}), and only {@code "}, {@code \}, control characters and lone surrogates
 * escaped. {@code tools/VerifyAuditExport.java} repeats these rules; change both or neither.
 *
 * <p>Values may be null, strings, booleans, numbers, maps with string keys, collections and arrays;
 * any other value (an {@code Instant}, a {@code Duration}, an enum) is written as its {@code
 * toString()}.
 */
final class CanonicalJson {

  /** JSON that is already canonical, written as it is. */
  record Raw(String json) {}

  private CanonicalJson() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Raw raw) {
      out.append(raw.json());
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Number n) {
      writeDecimal(out, n);
    } else if (value instanceof Map<?, ?> map) {
      writeObject(out, map);
    } else if (value instanceof Collection<?> list) {
      writeArray(out, list.toArray());
    } else if (value instanceof Object[] array) {
      writeArray(out, array);
    } else {
      writeString(out, value.toString());
    }
  }

  private static void writeDecimal(StringBuilder out, Number n) {
    if (n instanceof Double d && (d.isNaN() || d.isInfinite())
        || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
      writeString(out, n.toString());
      return;
    }
    BigDecimal decimal = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
    out.append(decimal.stripTrailingZeros().toPlainString());
  }

  private static void writeObject(StringBuilder out, Map<?, ?> map) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    map.forEach(
        (k, v) -> {
          if (!(k instanceof String key)) {
            throw new IllegalArgumentException(
                "JSON object keys must be strings, not "
                    + (k == null ? "null" : k.getClass().getSimpleName()));
          }
          sorted.put(key, v);
        });
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, e.getKey());
      out.append(':');
      write(out, e.getValue());
    }
    out.append('}');
  }

  private static void writeArray(StringBuilder out, Object[] items) {
    out.append('[');
    for (int i = 0; i < items.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      write(out, items[i]);
    }
    out.append(']');
  }

  static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean pairedHigh =
              Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1));
          boolean pairedLow =
              Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
          if (c < 0x20 || Character.isSurrogate(c) && !pairedHigh && !pairedLow) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
