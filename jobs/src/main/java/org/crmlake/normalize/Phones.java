package org.crmlake.normalize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Standardises phone numbers to E.164 ({@code +8613800138000}) with libphonenumber.
 *
 * <p>Numbers come from CRM, ERP, web sign-ups and the call centre, mostly from mainland China
 * and the US, with or without a country hint. The region used to read a number is chosen in
 * this order; the first region under which libphonenumber says the number is <em>valid</em> wins:
 * <ol>
 *   <li>an explicit international prefix ({@code +86 ...}, {@code 0086 ...}, {@code +1 ...}):
 *       the country code decides and the hint is ignored;</li>
 *   <li>an unambiguous grouping: {@code (415) 555-0132}, {@code 415-555-0132},
 *       {@code 415.555.0132} (3-3-4, North American) → US; {@code 138-0013-8000} (3-4-4 starting
 *       1[3-9]) → CN;</li>
 *   <li>the country hint ({@code "CN"}, {@code "China"}, {@code "中国"}, {@code "US"},
 *       {@code "USA"}, any ISO 3166 alpha-2 code ...);</li>
 *   <li>digit-count patterns: 11 digits starting 1[3-9] → CN mobile; {@code 86} + CN mobile →
 *       CN; a single leading trunk {@code 0} with 10-12 digits → CN landline; 10 digits, or 11
 *       digits starting 1 → US.</li>
 * </ol>
 * The hint outranks the digit-count patterns because some strings are valid in both countries
 * (e.g. {@code 14755550132} is a CN mobile and a US number with trunk prefix).
 *
 * <p>All methods are static, thread-safe ({@link PhoneNumberUtil} is) and map null to null.
 */
public final class Phones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /** Country names seen in the sources; ISO codes are handled separately. */
    private static final Map<String, String> COUNTRY_NAMES = Map.ofEntries(
            Map.entry("china", "CN"), Map.entry("prc", "CN"), Map.entry("mainland china", "CN"),
            Map.entry("people's republic of china", "CN"), Map.entry("中国", "CN"),
            Map.entry("中国大陆", "CN"), Map.entry("中华人民共和国", "CN"),
            Map.entry("usa", "US"), Map.entry("u.s.", "US"), Map.entry("u.s.a.", "US"),
            Map.entry("united states", "US"), Map.entry("united states of america", "US"),
            Map.entry("america", "US"), Map.entry("美国", "US"),
            Map.entry("hong kong", "HK"), Map.entry("香港", "HK"),
            Map.entry("taiwan", "TW"), Map.entry("台湾", "TW"),
            Map.entry("canada", "CA"), Map.entry("加拿大", "CA"),
            Map.entry("united kingdom", "GB"), Map.entry("uk", "GB"), Map.entry("英国", "GB"));

    private static final Set<String> SUPPORTED_REGIONS = UTIL.getSupportedRegions();

    private static final Pattern NON_DIGIT = Pattern.compile("\\D");
    private static final Pattern NANP_GROUPING =
            Pattern.compile("\\(?\\d{3}\\)?[ .\\-]?\\d{3}[ .\\-]\\d{4}");
    private static final Pattern CN_MOBILE_GROUPING = Pattern.compile("1[3-9]\\d[ \\-]\\d{4}[ \\-]\\d{4}");
    private static final Pattern CN_MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern CN_MOBILE_WITH_CC = Pattern.compile("861[3-9]\\d{9}");
    private static final Pattern CN_TRUNK = Pattern.compile("0[1-9]\\d{8,10}");
    private static final Pattern US_10 = Pattern.compile("\\d{10}");
    private static final Pattern US_11 = Pattern.compile("1\\d{10}");

    /** E.164 allows 15 digits; fewer than 7 is never a reachable subscriber number in our markets. */
    private static final int MIN_DIGITS = 7;
    private static final int MAX_DIGITS = 15;

    private Phones() {
    }

    /**
     * Returns the number in E.164 form, or null when it is null, unparseable or not a valid number.
     *
     * @param raw         the phone number as received
     * @param countryHint ISO alpha-2 code or country name of the record, may be null
     */
    public static String toE164(String raw, String countryHint) {
        Result r = analyse(raw, countryHint);
        return r.number == null ? null : UTIL.format(r.number, PhoneNumberFormat.E164);
    }

    /**
     * Returns why {@link #toE164} rejects the number ("too short", "not a number",
     * "invalid for region CN", ...), or null when the number is valid or {@code raw} is null.
     */
    public static String invalidReason(String raw, String countryHint) {
        return raw == null ? null : analyse(raw, countryHint).reason;
    }

    /**
     * Maps a country hint to an ISO region code libphonenumber knows, or null.
     *
     * @param hint ISO alpha-2 code or a country name in English or Chinese
     */
    public static String regionOf(String hint) {
        if (hint == null) {
            return null;
        }
        String h = Normalizer.normalize(hint, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        String upper = h.toUpperCase(Locale.ROOT);
        if (SUPPORTED_REGIONS.contains(upper)) {
            return upper;
        }
        return COUNTRY_NAMES.get(h);
    }

    private record Result(PhoneNumber number, String reason) {
    }

    private static Result analyse(String raw, String countryHint) {
        if (raw == null) {
            return new Result(null, null);
        }
        // NFKC folds full-width digits and '＋' that Chinese input methods produce.
        String text = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        String digits = NON_DIGIT.matcher(text).replaceAll("");
        if (digits.isEmpty()) {
            return new Result(null, text.isEmpty() ? "empty" : "not a number");
        }
        boolean international = text.startsWith("+") || digits.startsWith("00");
        String significant = digits.startsWith("00") ? digits.substring(2) : digits;
        if (significant.length() < MIN_DIGITS) {
            return new Result(null, "too short");
        }
        if (significant.length() > MAX_DIGITS) {
            return new Result(null, "too long");
        }
        if (international) {
            // "0086 ..." is the IDD form of "+86 ..."; libphonenumber only knows the hint's own IDD.
            String plus = text.startsWith("+") ? text : "+" + significant;
            return parseIn(plus, "ZZ");
        }
        List<String> regions = candidateRegions(text, digits, regionOf(countryHint));
        if (regions.isEmpty()) {
            return new Result(null, "unknown region");
        }
        Result first = null;
        for (String region : regions) {
            Result r = parseIn(text, region);
            if (r.number != null) {
                return r;
            }
            if (first == null) {
                first = r;
            }
        }
        return first;
    }

    private static List<String> candidateRegions(String text, String digits, String hintRegion) {
        List<String> regions = new ArrayList<>(4);
        if (NANP_GROUPING.matcher(text).matches()) {
            regions.add("US");
        } else if (CN_MOBILE_GROUPING.matcher(text).matches()) {
            regions.add("CN");
        }
        addOnce(regions, hintRegion);
        if (CN_MOBILE.matcher(digits).matches() || CN_MOBILE_WITH_CC.matcher(digits).matches()
                || CN_TRUNK.matcher(digits).matches()) {
            addOnce(regions, "CN");
        }
        if (US_10.matcher(digits).matches() || US_11.matcher(digits).matches()) {
            addOnce(regions, "US");
        }
        return regions;
    }

    private static void addOnce(List<String> regions, String region) {
        if (region != null && !regions.contains(region)) {
            regions.add(region);
        }
    }

    private static Result parseIn(String text, String region) {
        PhoneNumber number;
        try {
            number = UTIL.parse(text, region);
        } catch (NumberParseException e) {
            return new Result(null, switch (e.getErrorType()) {
                case NOT_A_NUMBER -> "not a number";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "too short";
                case TOO_LONG -> "too long";
                case INVALID_COUNTRY_CODE -> "invalid country code";
            });
        }
        if (UTIL.isValidNumber(number)) {
            return new Result(number, null);
        }
        String numberRegion = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
        String reason = switch (UTIL.isPossibleNumberWithReason(number)) {
            case TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY -> "too short";
            case TOO_LONG -> "too long";
            case INVALID_COUNTRY_CODE -> "invalid country code";
            default -> "invalid for region " + ("ZZ".equals(numberRegion) ? region : numberRegion);
        };
        return new Result(null, reason);
    }
}
