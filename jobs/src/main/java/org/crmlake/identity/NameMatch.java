package org.crmlake.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * How well two names agree, on their script-independent keys ({@code silver.persons.name_key}:
 * Han romanised, folded to ASCII, tokens sorted), so {@code 张伟} and {@code Wei Zhang} are equal.
 * Tokens are compared one by one (each token of the shorter name against a partner in the
 * other, Jaro-Winkler, the best one-to-one pairing), after mapping nicknames to one given name (Bob = Robert,
 * from {@code identity/nicknames.txt}); each token pairs with a different token. Short tokens (three letters or fewer, as most pinyin
 * given names are) must be equal: "wei" and "wen" are different people, not a typo.
 */
public final class NameMatch {

    /** Agreement levels, strongest first. */
    public enum Level { EXACT, HIGH, PARTIAL, DIFFERENT, MISSING }

    static final double HIGH_SIMILARITY = 0.93;
    static final double PARTIAL_SIMILARITY = 0.85;
    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();
    private static final Map<String, String> CANONICAL_GIVEN_NAME = loadNicknames();

    private NameMatch() {
    }

    public static Level compare(String keyA, String keyB) {
        if (keyA == null || keyB == null || keyA.isBlank() || keyB.isBlank()) {
            return Level.MISSING;
        }
        if (keyA.equals(keyB)) {
            return Level.EXACT;
        }
        String[] a = canonicalTokens(keyA);
        String[] b = canonicalTokens(keyB);
        if (Arrays.equals(a, b)) {
            return Level.HIGH;
        }
        String[] shorter = a.length <= b.length ? a : b;
        String[] longer = a.length <= b.length ? b : a;
        double[] best = bestOneToOne(shorter, longer);
        double mean = best[0];
        double weakest = best[1];
        if (shorter.length == longer.length && mean >= HIGH_SIMILARITY && weakest >= PARTIAL_SIMILARITY) {
            return Level.HIGH;
        }
        // One name is a part of the other ("Wei" vs "Wei Zhang"), or close to it: weak evidence.
        if (mean >= PARTIAL_SIMILARITY && weakest >= PARTIAL_SIMILARITY) {
            return Level.PARTIAL;
        }
        return Level.DIFFERENT;
    }

    /**
     * Pairs each token of the shorter name with a different token of the longer one so that the
     * mean similarity is highest (names have a few tokens: trying every pairing is cheap).
     * Returns {mean, weakest pair}.
     */
    private static double[] bestOneToOne(String[] shorter, String[] longer) {
        double[] best = {0, 0};
        assign(shorter, longer, 0, new boolean[longer.length], 0, 1, best);
        return best;
    }

    private static void assign(String[] shorter, String[] longer, int i, boolean[] used, double sum, double weakest,
                               double[] best) {
        if (i == shorter.length) {
            double mean = sum / shorter.length;
            if (mean > best[0]) {
                best[0] = mean;
                best[1] = weakest;
            }
            return;
        }
        if (longer.length > 6) {
            // Long strings of tokens are not personal names; compare them in order.
            double s = 0;
            double w = 1;
            for (int k = 0; k < shorter.length; k++) {
                double t = tokenSimilarity(shorter[k], longer[k]);
                s += t;
                w = Math.min(w, t);
            }
            best[0] = s / shorter.length;
            best[1] = w;
            return;
        }
        for (int j = 0; j < longer.length; j++) {
            if (!used[j]) {
                used[j] = true;
                double t = tokenSimilarity(shorter[i], longer[j]);
                assign(shorter, longer, i + 1, used, sum + t, Math.min(weakest, t), best);
                used[j] = false;
            }
        }
    }

    /** True when the names could belong to one person: equal, a typo or nickname apart, or one missing. */
    public static boolean compatible(String keyA, String keyB) {
        return compare(keyA, keyB) != Level.DIFFERENT;
    }

    private static double tokenSimilarity(String a, String b) {
        if (a.equals(b)) {
            return 1.0;
        }
        if (a.length() <= 3 || b.length() <= 3) {
            // Typing slips keep a short token recognisable (lin/linn, wie/wei); a changed letter
            // (wei/wen) is another name. A dropped syllable (lan/lanzhi) is a partial match.
            if (collapseDoubles(a).equals(collapseDoubles(b)) || adjacentSwap(a, b)) {
                return HIGH_SIMILARITY;
            }
            return a.startsWith(b) || b.startsWith(a) ? PARTIAL_SIMILARITY : 0.0;
        }
        return JARO_WINKLER.apply(a, b);
    }

    private static String collapseDoubles(String s) {
        return s.replaceAll("(.)\\1+", "$1");
    }

    private static boolean adjacentSwap(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int first = -1;
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                if (first >= 0) {
                    return i == first + 1 && a.charAt(first) == b.charAt(i) && a.charAt(i) == b.charAt(first)
                            && a.substring(i + 1).equals(b.substring(i + 1));
                }
                first = i;
            }
        }
        return false;
    }

    /**
     * Tokens with nicknames and surname variants mapped to one form, and a syllable typed twice
     * removed: a Han name with its first character doubled (曹曹华刚) romanises as "cao caohuagang".
     */
    private static String[] canonicalTokens(String key) {
        String[] tokens = Arrays.stream(key.split(" ")).map(t -> CANONICAL_GIVEN_NAME.getOrDefault(t, t))
                .toArray(String[]::new);
        for (int i = 0; i < tokens.length; i++) {
            for (String other : tokens) {
                if (other != tokens[i] && tokens[i].length() > other.length() && tokens[i].startsWith(other)
                        && other.length() >= 2) {
                    String rest = tokens[i].substring(other.length());
                    tokens[i] = CANONICAL_GIVEN_NAME.getOrDefault(rest, rest);
                    break;
                }
            }
        }
        Arrays.sort(tokens);
        return tokens;
    }

    private static Map<String, String> loadNicknames() {
        Map<String, String> canonical = new HashMap<>();
        try (var in = NameMatch.class.getResourceAsStream("/identity/nicknames.txt")) {
            if (in == null) {
                throw new IllegalStateException("identity/nicknames.txt is missing from the classpath");
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(line -> {
                        String[] names = line.split("\\s+");
                        for (String n : names) {
                            canonical.putIfAbsent(n, names[0]);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(canonical);
    }
}
