package org.crmlake.normalize;

import com.ibm.icu.text.Transliterator;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Standardises personal names written in Latin or Han script and builds matching keys that
 * make {@code 张伟}, {@code Zhang Wei}, {@code WEI ZHANG} and {@code ｚｈａｎｇ　ｗｅｉ} equal.
 *
 * <p>{@link #latinKey} converts Traditional to Simplified characters and romanises Han with ICU's
 * {@code Han-Latin/Names} rules (the surname-aware variant of {@code Han-Latin}: 曾 → zeng and
 * 单 → shan, as people spell them, where plain {@code Han-Latin} gives ceng and dan), then folds
 * the whole text with {@code Lower; Latin-ASCII; Lower}. A Han name
 * becomes two tokens, surname and joined given name ({@code 曾国藩} → {@code zeng guofan}),
 * because that is how Chinese names are written in Latin script ({@code Guofan Zeng}). The
 * surname is one character unless the name starts with a common two-character surname
 * ({@code 欧阳}, {@code 司马}, ...). Tokens are then sorted, so word order does not matter.
 * Limitation: pinyin written syllable by syllable ({@code Zeng Guo Fan}) yields a different key;
 * {@link #similarity} still scores it high.
 *
 * <p>All methods are static and thread-safe: ICU transliterators are not, so each thread gets
 * its own, built on first use. Null or blank input gives null (or false / 0).
 */
public final class Names {

    /** Romanises Han only: the Han-Latin rules cost ~150 µs a call even on Latin text. */
    private static final ThreadLocal<Transliterator> HAN_TO_PINYIN =
            ThreadLocal.withInitial(() -> Transliterator.getInstance("Traditional-Simplified; Han-Latin/Names"));
    /** Lower before and after Latin-ASCII so that the key is stable when fed back in. */
    private static final ThreadLocal<Transliterator> TO_ASCII_LOWER =
            ThreadLocal.withInitial(() -> Transliterator.getInstance("Lower; Latin-ASCII; Lower"));
    /**
     * Han runs romanised recently, per thread: street, city and name parts repeat from record to
     * record, and each romanisation costs the Han-Latin rules again (a sixth of resolve-identities'
     * CPU at 100k customers before this cache).
     */
    private static final int ROMANISED_KEPT = 20_000;
    private static final ThreadLocal<Map<String, String>> ROMANISED = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > ROMANISED_KEPT;
                }
            });
    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACE_BETWEEN_HAN = Pattern.compile("(?<=\\p{IsHan})\\s+(?=\\p{IsHan})");
    private static final Pattern HAN_RUN = Pattern.compile("[\\p{IsHan}&&\\p{L}]+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** Separates Han that ICU could not romanise (rare characters) from the Latin around it. */
    private static final Pattern HAN_BOUNDARY = Pattern.compile("(?<=\\p{IsHan})(?!\\p{IsHan})|(?<!\\p{IsHan})(?=\\p{IsHan})");
    /** Word-internal breaks after which a Latin name part is capitalised again: Jean-Luc, O'Brien. */
    private static final Pattern LATIN_PART = Pattern.compile("[^\\-'’]+|[\\-'’]");

    private static final Set<String> COMPOUND_SURNAMES = Set.of(
            "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
            "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "歐陽", "諸葛");

    private Names() {
    }

    /**
     * Returns the display form of a name: NFKC (full-width {@code ＡＢＣ} → {@code ABC}), inner
     * whitespace collapsed, trimmed, no spaces between Han characters, and Latin words that are
     * all upper or all lower case put in Title Case ({@code JOHN o'brien} → {@code John O'Brien}).
     * Words already in mixed case ({@code McDonald}) are kept as written. Null for blank input.
     */
    public static String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String s = WHITESPACE.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKC)).replaceAll(" ").strip();
        if (s.isEmpty()) {
            return null;
        }
        s = SPACE_BETWEEN_HAN.matcher(s).replaceAll("");
        return Arrays.stream(s.split(" ")).map(Names::titleCase).collect(Collectors.joining(" "));
    }

    /**
     * Returns an order-insensitive, lower-case matching key: Han romanised, Latin folded to
     * ASCII, punctuation dropped, tokens sorted and joined by one space. Other scripts (Cyrillic,
     * Hangul) are kept lower-cased. Null when nothing letter-like remains.
     */
    public static String latinKey(String raw) {
        if (raw == null) {
            return null;
        }
        String s = SPACE_BETWEEN_HAN.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKC)).replaceAll("");
        StringBuilder romanised = new StringBuilder();
        Matcher han = HAN_RUN.matcher(s);
        Map<String, String> seen = ROMANISED.get();
        while (han.find()) {
            String pinyin = seen.computeIfAbsent(han.group(), Names::romaniseHanName);
            han.appendReplacement(romanised, Matcher.quoteReplacement(" " + pinyin + " "));
        }
        han.appendTail(romanised);
        String latin = romanised.toString();
        String ascii = latin.chars().allMatch(c -> c < 0x80)
                ? latin.toLowerCase(Locale.ROOT)
                : TO_ASCII_LOWER.get().transliterate(latin);
        String key = Arrays.stream(NON_WORD.split(HAN_BOUNDARY.matcher(ascii).replaceAll(" ")))
                .filter(token -> !token.isEmpty())
                .sorted()
                .collect(Collectors.joining(" "));
        return key.isEmpty() ? null : key;
    }

    /** Tells whether every letter of {@code s} is a Han character (and there is at least one). */
    public static boolean isHan(String s) {
        if (s == null) {
            return false;
        }
        boolean sawHan = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                sawHan = true;
            } else if (Character.isLetter(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return sawHan;
    }

    /**
     * Jaro–Winkler similarity (0..1) of the two {@link #latinKey}s; 0 when either is null or
     * has no key.
     */
    public static double similarity(String a, String b) {
        String ka = latinKey(a);
        String kb = latinKey(b);
        if (ka == null || kb == null) {
            return 0.0;
        }
        return JARO_WINKLER.apply(ka, kb);
    }

    /** Romanises a run of Han as "surname givenname", syllables of each part joined. */
    private static String romaniseHanName(String run) {
        String[] syllables = HAN_TO_PINYIN.get().transliterate(run).strip().split("\\s+");
        int chars = run.codePointCount(0, run.length());
        if (chars < 2 || syllables.length != chars) {
            return String.join(" ", syllables);
        }
        int surnameChars = chars >= 3 && COMPOUND_SURNAMES.contains(run.substring(0, run.offsetByCodePoints(0, 2))) ? 2 : 1;
        return String.join("", Arrays.copyOfRange(syllables, 0, surnameChars)) + " "
                + String.join("", Arrays.copyOfRange(syllables, surnameChars, syllables.length));
    }

    private static String titleCase(String word) {
        boolean allLower = word.equals(word.toLowerCase(Locale.ROOT));
        boolean allUpper = word.equals(word.toUpperCase(Locale.ROOT));
        if (allLower == allUpper) {
            // Mixed case (McDonald) or caseless (Han): the writer chose it, keep it.
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        Matcher part = LATIN_PART.matcher(word);
        while (part.find()) {
            String p = part.group();
            int first = p.codePointAt(0);
            out.appendCodePoint(Character.toTitleCase(first))
                    .append(p.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
