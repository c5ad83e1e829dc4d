package org.crmlake.generate;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Turns a row of fields (null = empty/absent) into one line of a landing file. */
sealed interface RowFormat {

    /** Header line, or null when the format has none. */
    String header();

    String line(String[] fields);

    /** A malformed line: what a broken export writer leaves behind. */
    String broken(String[] fields, SplittableRandom rng);

    /** RFC 4180 CSV: quote fields holding the delimiter, a quote or a line break; double the quotes. */
    record Csv(List<String> columns, char delimiter) implements RowFormat {

        @Override
        public String header() {
            return line(columns.toArray(String[]::new));
        }

        @Override
        public String line(String[] fields) {
            StringBuilder sb = new StringBuilder(fields.length * 12);
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    sb.append(delimiter);
                }
                String f = fields[i];
                if (f == null) {
                    continue;
                }
                if (f.indexOf(delimiter) >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                    sb.append('"').append(f.replace("\"", "\"\"")).append('"');
                } else {
                    sb.append(f);
                }
            }
            return sb.toString();
        }

        /** A truncated row: the id survives, the tail of the record is missing. */
        @Override
        public String broken(String[] fields, SplittableRandom rng) {
            int keep = 2 + rng.nextInt(Math.max(1, fields.length - 3));
            return line(Arrays.copyOf(fields, Math.min(keep, fields.length - 1)));
        }
    }

    /** JSON lines with the contract's keys in contract order; null fields are left out. */
    record JsonLines(List<String> keys) implements RowFormat {

        @Override
        public String header() {
            return null;
        }

        @Override
        public String line(String[] fields) {
            StringBuilder sb = new StringBuilder(256).append('{');
            boolean first = true;
            for (int i = 0; i < fields.length; i++) {
                if (fields[i] == null) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, keys.get(i)).append(':');
                quote(sb, fields[i]);
            }
            return sb.append('}').toString();
        }

        /** Cut off mid-object, as a writer killed mid-flush leaves it. */
        @Override
        public String broken(String[] fields, SplittableRandom rng) {
            String full = line(fields);
            int cut = full.length() / 3 + rng.nextInt(Math.max(1, full.length() / 2));
            return full.substring(0, Math.min(cut, full.length() - 2));
        }

        private static StringBuilder quote(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"');
        }
    }
}
