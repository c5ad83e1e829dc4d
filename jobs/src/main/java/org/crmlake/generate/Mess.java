package org.crmlake.generate;

import java.util.SplittableRandom;

/**
 * The mess level and the small corruptions a real export carries. Every rate is given at
 * mess 1 and scales linearly, so mess 0 yields clean data.
 */
record Mess(double level) {

    static final String PLACEHOLDER_EMAIL = "noemail@example.com";

    boolean chance(SplittableRandom rng, double rateAtFullMess) {
        return level > 0 && rng.nextDouble() < rateAtFullMess * level;
    }

    /** A typing error: swapped, dropped or doubled character (code points, so Han names work too). */
    static String typo(String s, SplittableRandom rng) {
        int[] cp = s.codePoints().toArray();
        if (cp.length < 2) {
            return s + s;
        }
        int i = rng.nextInt(cp.length - 1);
        StringBuilder sb = new StringBuilder();
        switch (rng.nextInt(3)) {
            case 0 -> {
                int t = cp[i];
                cp[i] = cp[i + 1];
                cp[i + 1] = t;
                sb.append(new String(cp, 0, cp.length));
            }
            case 1 -> {
                sb.append(new String(cp, 0, i + 1)).append(new String(cp, i + 2, cp.length - i - 2));
                if (sb.isEmpty()) {
                    sb.append(s);
                }
            }
            default -> sb.append(new String(cp, 0, i + 1)).append(new String(cp, i, cp.length - i));
        }
        return sb.toString();
    }

    /** ASCII letters and digits as their full-width forms (ＡＢＣ１２３), as CJK input methods produce. */
    static String fullWidth(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c > ' ' && c < 0x7f && Character.isLetterOrDigit(c) ? (char) (c - 0x21 + 0xFF01) : c);
        }
        return sb.toString();
    }

    /** Doubled inner whitespace and a trailing blank. */
    static String extraSpaces(String s) {
        return s.replace(" ", "  ") + " ";
    }

    /** How e-mails arrive: wrong case, blanks around, or invalid (missing @, @@, trailing dot). */
    String email(String email, SplittableRandom rng) {
        if (email == null || level == 0) {
            return email;
        }
        double u = rng.nextDouble();
        if (u < 0.06 * level) {
            return email.toUpperCase(java.util.Locale.ROOT);
        }
        if (u < 0.10 * level) {
            return "  " + email + " ";
        }
        if (u < 0.12 * level) {
            return email.replace("@", "");
        }
        if (u < 0.13 * level) {
            return email.replace("@", "@@");
        }
        if (u < 0.14 * level) {
            return email + ".";
        }
        return email;
    }

    /** How a phone arrives: canonical when clean, another format or an invalid stub with mess. */
    String phone(boolean zh, String national, SplittableRandom rng) {
        if (national == null) {
            return null;
        }
        if (chance(rng, 0.04)) {
            return PhoneFormats.invalid(national, rng);
        }
        if (chance(rng, 0.8)) {
            return PhoneFormats.variant(zh, national, rng);
        }
        return PhoneFormats.canonical(zh, national);
    }

    /** Optional field left empty by whoever typed the record. */
    String optional(String value, SplittableRandom rng, double rateAtFullMess) {
        return chance(rng, rateAtFullMess) ? null : value;
    }

    String country(boolean zh, SplittableRandom rng) {
        if (!chance(rng, 0.3)) {
            return zh ? "CN" : "US";
        }
        return zh ? (rng.nextBoolean() ? "China" : "中国") : (rng.nextBoolean() ? "USA" : "United States");
    }
}
