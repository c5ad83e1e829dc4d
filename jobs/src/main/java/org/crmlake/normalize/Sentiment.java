package org.crmlake.normalize;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lexicon-based sentiment of call-centre transcripts and ticket text, in English and Chinese.
 *
 * <p>Method (no model, so the result is explainable and identical on every run):
 * <ol>
 *   <li>The text is NFKC-folded and lower-cased. Both passes below run on every text, so mixed
 *       Chinese/English transcripts need no language detection.</li>
 *   <li>English: words are {@code [a-z']+} tokens. Each lexicon word adds its weight (0.5-1.0) to
 *       the positive or negative total. A negator ({@code not, no, never, don't, isn't,
 *       without ...}) flips the next sentiment word within three tokens: a negated positive
 *       counts fully as negative ("not happy", "never arrived"), a negated negative counts half
 *       as positive ("not bad" is faint praise). Neutral event verbs such as {@code arrived} and
 *       {@code working} carry a small positive weight precisely so their negation scores.</li>
 *   <li>Chinese has no word boundaries, so lexicon terms are matched as substrings, scanning left
 *       to right and taking the longest term at each position. Fixed negative phrases are in the
 *       lexicon themselves ({@code 不满意}, {@code 没到}, {@code 不好}), and {@code 不错} and
 *       {@code 没问题} are positive phrases, so the longest match reads them right and
 *       {@code 满意} inside {@code 不满意} is never counted. A free-standing {@code 不/没/没有/
 *       未/别} flips the next positive term within three characters ({@code 不是很满意});
 *       punctuation ends the negation.</li>
 *   <li>score = (pos − neg) / (pos + neg + 1), which lies in (−1, 1), is 0 for text without
 *       sentiment terms, and grows in confidence with the number of terms.</li>
 * </ol>
 * {@link #isNegative} is {@code score <= -0.25}: one clear negative term (−0.5) is enough, one
 * negative balanced by one positive (0) is not.
 *
 * <p>All methods are static and thread-safe (immutable lexicons).
 */
public final class Sentiment {

    /** Threshold of {@link #isNegative}. */
    public static final double NEGATIVE_THRESHOLD = -0.25;

    private static final double NEGATED_NEGATIVE_FACTOR = 0.5;
    private static final int NEGATION_WINDOW = 3;

    /** English words with signed weights. */
    private static final Map<String, Double> EN = Map.ofEntries(
            // positive
            Map.entry("good", 1.0), Map.entry("great", 1.0), Map.entry("excellent", 1.0),
            Map.entry("amazing", 1.0), Map.entry("awesome", 1.0), Map.entry("perfect", 1.0),
            Map.entry("love", 1.0), Map.entry("loved", 1.0), Map.entry("happy", 1.0),
            Map.entry("satisfied", 1.0), Map.entry("pleased", 1.0), Map.entry("thanks", 0.75),
            Map.entry("thank", 0.75), Map.entry("helpful", 1.0), Map.entry("fast", 0.75),
            Map.entry("quick", 0.75), Map.entry("easy", 0.75), Map.entry("recommend", 1.0),
            Map.entry("nice", 0.75), Map.entry("friendly", 0.75), Map.entry("resolved", 0.75),
            Map.entry("appreciate", 1.0), Map.entry("wonderful", 1.0), Map.entry("fantastic", 1.0),
            Map.entry("fine", 0.5), Map.entry("glad", 0.75),
            Map.entry("arrived", 0.5), Map.entry("received", 0.5), Map.entry("delivered", 0.5),
            Map.entry("works", 0.5), Map.entry("working", 0.5), Map.entry("fixed", 0.75),
            // negative
            Map.entry("bad", -1.0), Map.entry("terrible", -1.0), Map.entry("awful", -1.0),
            Map.entry("horrible", -1.0), Map.entry("worst", -1.0), Map.entry("poor", -0.75),
            Map.entry("disappointed", -1.0), Map.entry("disappointing", -1.0), Map.entry("angry", -1.0),
            Map.entry("upset", -1.0), Map.entry("unhappy", -1.0), Map.entry("frustrated", -1.0),
            Map.entry("complaint", -1.0), Map.entry("complain", -1.0), Map.entry("refund", -0.75),
            Map.entry("cancel", -0.75), Map.entry("broken", -1.0), Map.entry("damaged", -1.0),
            Map.entry("late", -0.75), Map.entry("delay", -0.75), Map.entry("delayed", -0.75),
            Map.entry("slow", -0.75), Map.entry("rude", -1.0), Map.entry("useless", -1.0),
            Map.entry("waste", -1.0), Map.entry("problem", -0.5), Map.entry("issue", -0.5),
            Map.entry("wrong", -0.75), Map.entry("missing", -0.75), Map.entry("hate", -1.0),
            Map.entry("scam", -1.0));
    private static final Set<String> EN_NEGATORS = Set.of(
            "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't",
            "weren't", "won't", "can't", "cannot", "couldn't", "hasn't", "haven't", "hadn't",
            "nothing", "without", "nor", "dont", "didnt", "isnt", "wasnt", "cant", "wont");

    /** Chinese terms with signed weights; longer phrases win over the terms they contain. */
    private static final Map<String, Double> ZH = Map.ofEntries(
            // positive
            Map.entry("满意", 1.0), Map.entry("感谢", 1.0), Map.entry("谢谢", 0.75),
            Map.entry("很好", 1.0), Map.entry("不错", 1.0), Map.entry("好评", 1.0),
            Map.entry("喜欢", 1.0), Map.entry("方便", 0.75), Map.entry("及时", 0.75),
            Map.entry("专业", 0.75), Map.entry("推荐", 1.0), Map.entry("解决了", 0.75),
            Map.entry("没问题", 0.75), Map.entry("没有问题", 0.75), Map.entry("非常好", 1.0),
            Map.entry("满分", 1.0), Map.entry("耐心", 0.75), Map.entry("收到了", 0.5),
            // negative
            Map.entry("失望", -1.0), Map.entry("投诉", -1.0), Map.entry("太差", -1.0),
            Map.entry("很差", -1.0), Map.entry("差评", -1.0), Map.entry("生气", -1.0),
            Map.entry("退款", -0.75), Map.entry("退货", -0.75), Map.entry("没到", -1.0),
            Map.entry("没收到", -1.0), Map.entry("没有收到", -1.0), Map.entry("收不到", -1.0),
            Map.entry("糟糕", -1.0), Map.entry("不满意", -1.0), Map.entry("不满", -1.0),
            Map.entry("取消", -0.75), Map.entry("不好", -1.0), Map.entry("不太好", -0.75), Map.entry("不行", -0.75),
            Map.entry("坏了", -1.0), Map.entry("破损", -1.0), Map.entry("太慢", -0.75),
            Map.entry("延迟", -0.75), Map.entry("骗", -1.0), Map.entry("垃圾", -1.0),
            Map.entry("问题", -0.5), Map.entry("麻烦", -0.5), Map.entry("态度差", -1.0));
    /** Longest first, so the scan prefers 不满意 over 满意 and 没有收到 over 没到. */
    private static final List<String> ZH_TERMS =
            ZH.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    private static final List<String> ZH_NEGATORS = List.of("没有", "不", "没", "未", "别");
    private static final String ZH_CLAUSE_END = "，。！？；,.!?;\n";

    private static final Pattern EN_WORD = Pattern.compile("[a-z]+(?:'[a-z]+)?");

    private Sentiment() {
    }

    /**
     * Returns the sentiment of {@code text} in (−1, 1): negative below 0, 0 when no lexicon term
     * is found; null for null input.
     */
    public static Double score(String text) {
        if (text == null) {
            return null;
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replace('’', '\'');
        double[] totals = new double[2]; // [positive, negative]
        scoreEnglish(s, totals);
        scoreChinese(s, totals);
        return (totals[0] - totals[1]) / (totals[0] + totals[1] + 1.0);
    }

    /** Tells whether {@link #score} is at most {@link #NEGATIVE_THRESHOLD}; false for null. */
    public static boolean isNegative(String text) {
        Double score = score(text);
        return score != null && score <= NEGATIVE_THRESHOLD;
    }

    private static void scoreEnglish(String s, double[] totals) {
        Matcher m = EN_WORD.matcher(s);
        int negationLeft = 0;
        while (m.find()) {
            String word = m.group();
            Double weight = EN.get(word);
            if (weight != null) {
                add(totals, weight, negationLeft > 0);
                negationLeft = 0;
            } else if (EN_NEGATORS.contains(word)) {
                negationLeft = NEGATION_WINDOW;
            } else if (negationLeft > 0) {
                negationLeft--;
            }
        }
    }

    private static void scoreChinese(String s, double[] totals) {
        int negationLeft = 0;
        int i = 0;
        while (i < s.length()) {
            String term = termAt(s, i, ZH_TERMS);
            if (term != null) {
                double weight = ZH.get(term);
                // Only positives are flipped: 不 before a negative term is part of a fixed phrase.
                add(totals, weight, negationLeft > 0 && weight > 0);
                negationLeft = 0;
                i += term.length();
                continue;
            }
            String negator = termAt(s, i, ZH_NEGATORS);
            if (negator != null) {
                negationLeft = NEGATION_WINDOW;
                i += negator.length();
                continue;
            }
            if (ZH_CLAUSE_END.indexOf(s.charAt(i)) >= 0) {
                negationLeft = 0;
            } else if (negationLeft > 0) {
                negationLeft--;
            }
            i++;
        }
    }

    private static String termAt(String s, int i, List<String> terms) {
        for (String term : terms) {
            if (s.startsWith(term, i)) {
                return term;
            }
        }
        return null;
    }

    /** Adds a signed weight; negation turns a positive fully negative and a negative half positive. */
    private static void add(double[] totals, double signedWeight, boolean negated) {
        double w = negated ? -signedWeight * (signedWeight < 0 ? NEGATED_NEGATIVE_FACTOR : 1.0) : signedWeight;
        if (w >= 0) {
            totals[0] += w;
        } else {
            totals[1] -= w;
        }
    }
}
